package org.kindling.sink;

import java.io.IOException;

/** One open output file of the sink, on local disk until it is finished and uploaded. */
interface RecordFile<T> {
  void write(T item) throws IOException;

  /** Bytes this file holds in memory (not yet on disk). */
  long bufferedBytes();

  /** Finishes the file (footer, trailer); after this the temporary file is complete. */
  void finish() throws IOException;

  /** Drops the file without finishing it. */
  void abort();
}
