/**
 * The submit window of one bind: at most `size` submit_sm awaiting their response. Pure
 * bookkeeping keyed by sequence number; the adapter waits for a free slot before sending.
 */
export class SubmitWindow {
  private readonly outstanding = new Set<number>();

  /** @throws RangeError when size is not a positive integer. */
  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`window size must be a positive integer, got ${size}`);
  }

  get inFlight(): number {
    return this.outstanding.size;
  }

  hasRoom(): boolean {
    return this.outstanding.size < this.size;
  }

  /** Records a sent PDU; false (and nothing recorded) when the window is full or the number is already in flight. */
  open(sequenceNumber: number): boolean {
    if (!this.hasRoom() || this.outstanding.has(sequenceNumber)) return false;
    this.outstanding.add(sequenceNumber);
    return true;
  }

  /** Records the response; false when that number was not in flight (a late or stray response). */
  close(sequenceNumber: number): boolean {
    return this.outstanding.delete(sequenceNumber);
  }

  /** Forgets every outstanding PDU (the bind was lost); answers the sequence numbers dropped. */
  reset(): readonly number[] {
    const dropped = [...this.outstanding];
    this.outstanding.clear();
    return dropped;
  }
}
