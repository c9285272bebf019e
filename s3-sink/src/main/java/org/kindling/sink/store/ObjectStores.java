package org.kindling.sink.store;

import org.kindling.core.config.KindlingConfig;
import org.kindling.sink.SinkConfig;

/** The object store that the configuration asks for. */
public final class ObjectStores {
  private ObjectStores() {}

  public static ObjectStore fromConfig(KindlingConfig config) {
    if (config.getString(SinkConfig.STORE).equals("filesystem")) {
      return new FileSystemObjectStore(config.getPath(SinkConfig.FILESYSTEM_DIR));
    }
    String endpoint = config.getString(SinkConfig.ENDPOINT).trim();
    String pathStyle = config.getString(SinkConfig.PATH_STYLE);
    boolean path = pathStyle.equals("auto") ? !endpoint.isEmpty() : Boolean.parseBoolean(pathStyle);
    return new S3ObjectStore(
        S3ObjectStore.client(
            endpoint,
            config.getString(SinkConfig.REGION),
            path,
            config.getString(SinkConfig.ACCESS_KEY_ID),
            config.getString(SinkConfig.SECRET_ACCESS_KEY)),
        config.getSize(SinkConfig.MULTIPART_THRESHOLD),
        config.getSize(SinkConfig.MULTIPART_PART_SIZE));
  }
}
