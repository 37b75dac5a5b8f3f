import { useAutomation } from '../stores/automation';
import type { RouteId } from '../stores/ui';

type MenuBridge = { onMenu?: (handler: (command: string) => void) => () => void };

/**
 * Acts on the desktop app's menu commands (none arrive in a browser). The emergency stop asks
 * first, then runs with this window's session: the main process holds no credentials.
 */
export function listenToAppMenu(navigate: (route: RouteId) => void): () => void {
  const bridge = window.bourse as MenuBridge | undefined;
  if (!bridge?.onMenu) return () => undefined;
  return bridge.onMenu((command) => {
    if (command === 'open-accounts') return navigate('accounts');
    navigate('automation');
    if (
      command === 'emergency-stop' &&
      window.confirm(
        'Emergency stop: cancel every open order, close every position and block automation?',
      )
    ) {
      void useAutomation.getState().emergencyStop();
    }
  });
}
