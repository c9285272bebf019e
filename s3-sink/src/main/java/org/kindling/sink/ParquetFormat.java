package org.kindling.sink;

import org.kindling.sink.store.ObjectStore.ObjectMeta;

/** A {@link FileFormat} that writes Parquet files ({@code .parquet}, the Parquet media type). */
abstract class ParquetFormat<T> implements FileFormat<T> {
  private static final ObjectMeta META = new ObjectMeta("application/vnd.apache.parquet", null);

  @Override
  public final String extension() {
    return ".parquet";
  }

  @Override
  public final ObjectMeta meta() {
    return META;
  }
}
