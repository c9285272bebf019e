package org.kindling.export;

/**
 * A record in a batch with its encoded part of the request (a line of line protocol, a JSON event),
 * or, when the destination cannot express it, the reason; such an item is not sent but goes
 * straight to ingest.errors as {@code export_unencodable}.
 *
 * @param record the record
 * @param encoded its part of a request body, or null when it could not be encoded
 * @param unencodable why it could not be encoded, or null
 */
public record Item(ExportRecord record, byte[] encoded, String unencodable) {

  /** An item the destination can send. */
  public static Item of(ExportRecord record, byte[] encoded) {
    return new Item(record, encoded, null);
  }

  /** An item the destination cannot express. */
  public static Item unencodable(ExportRecord record, String reason) {
    return new Item(record, null, reason);
  }

  /** The bytes it adds to a request (a separator included). */
  public int size() {
    return encoded == null ? 0 : encoded.length + 1;
  }
}
