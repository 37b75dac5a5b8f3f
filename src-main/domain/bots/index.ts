/** Bots: the pure parts of running a strategy live (target, window, shadow, book, lifecycle). */
export { diffOrder, targetPosition, type DiffOrder } from './target';
export { barWindow, MAX_WINDOW_BARS, type BarWindow } from './window';
export { summarizeShadow, withPhantomBar, type ShadowRun, type ShadowSummary } from './shadow';
export { applyFill, BOOK_SCALE, EMPTY_BOOK, unrealisedPnl, type BotBook } from './position';
export { nextStatus, type BotCommand, type BotStatus } from './lifecycle';
export { shrinkToHeld } from './outside';
