/** A one-line progress display on a terminal; a line per 10% step when the output is a file or pipe. */
export class Progress {
  private readonly started = Date.now();
  private lastStep = -1;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  private line(done: number): string {
    const pct = this.total ? Math.floor((done / this.total) * 100) : 100;
    const secs = ((Date.now() - this.started) / 1000).toFixed(1);
    return `  ${this.label} ${done.toLocaleString('en-US')} / ${this.total.toLocaleString('en-US')} (${pct}%) ${secs} s`;
  }

  update(done: number): void {
    if (this.tty) {
      process.stderr.write(`\r${this.line(done)}\x1b[K`);
      return;
    }
    const step = Math.floor((done / this.total) * 10);
    if (step !== this.lastStep) {
      this.lastStep = step;
      process.stderr.write(`${this.line(done)}\n`);
    }
  }

  done(): void {
    const secs = ((Date.now() - this.started) / 1000).toFixed(1);
    if (this.tty) process.stderr.write(`\r${this.line(this.total)}\x1b[K\n`);
    else if (this.total === 1) process.stderr.write(`  ${this.label} done in ${secs} s\n`);
  }
}
