import { userIdOf, type Principal } from '../operations/principal';
import type { Published } from './hub';

/** May this principal see this event? One rule for every pushing door (WebSocket, IPC). */
export function mayReceive(principal: Principal, msg: Published): boolean {
  switch (msg.audience.kind) {
    case 'public':
      return true;
    case 'user':
      return userIdOf(principal) === msg.audience.userId;
    case 'admins':
      return principal.kind !== 'anonymous' && principal.permissions.has('admin.system');
  }
}
