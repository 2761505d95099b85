/**
 * Where a datagram came from: the one type the listen stage hands on with each datagram.
 *
 * @module
 */

/** Where a datagram came from. */
export interface Sender {
  /** Sender IP address as text (IPv4 dotted or IPv6). */
  readonly hostname: string;
  /** Sender UDP port. */
  readonly port: number;
}
