import type { Sleeper, SmscSubmitter, SubmitPartRequest, SubmitPartResponse } from '../ports/smsc-submitter.port.js';

/** A submitter that answers from a script (then accepts with ids "1", "2", …) and records what it was asked. */
export class ScriptedSubmitter implements SmscSubmitter {
  readonly requests: SubmitPartRequest[] = [];
  private next = 1;

  constructor(private readonly script: SubmitPartResponse[] = []) {}

  submit(request: SubmitPartRequest): Promise<SubmitPartResponse> {
    this.requests.push(request);
    const scripted = this.script.shift();
    if (scripted !== undefined) return Promise.resolve(scripted);
    const id = String(this.next++);
    return Promise.resolve({ kind: 'answered', commandStatus: 0, smscMessageId: id });
  }
}

/** Records the delays asked for and returns at once. */
export class RecordingSleeper implements Sleeper {
  readonly delays: number[] = [];

  sleep(ms: number): Promise<void> {
    this.delays.push(ms);
    return Promise.resolve();
  }
}
