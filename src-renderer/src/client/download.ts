/**
 * Saves `content` as a file through the browser's download (Electron shows its save dialog).
 * The object URL is revoked a moment later, not at once: revoking it in the same task can
 * cancel the download before the browser has read the blob.
 */
export function saveFile(filename: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
