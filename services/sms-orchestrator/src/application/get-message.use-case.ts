import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { toMessageView } from './message-view.js';
import type { MessageView } from './message-view.js';
import type { UnitOfWork } from './ports/unit-of-work.port.js';

export interface MessageNotFound {
  readonly code: 'ORCH.MESSAGE_NOT_FOUND';
  readonly messageId: string;
}

export const messageNotFound = (messageId: string): MessageNotFound => ({ code: 'ORCH.MESSAGE_NOT_FOUND', messageId });

/**
 * `GET /v1/sms/{id}`: the tenant's message with its status and history. A message of another
 * tenant is "not found", exactly like one that does not exist, so ids cannot be probed.
 */
export class GetMessage {
  constructor(private readonly deps: { readonly unitOfWork: UnitOfWork }) {}

  async execute(query: { readonly tenantId: string; readonly messageId: string }): Promise<Result<MessageView, MessageNotFound>> {
    const message = await this.deps.unitOfWork.run(query.tenantId, (scope) => scope.messages.findById(query.messageId));
    return message === null ? err(messageNotFound(query.messageId)) : ok(toMessageView(message));
  }
}
