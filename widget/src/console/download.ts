// Hands a file the console fetched (with its session token, which a plain link could not carry)
// to the browser as a download.
export function saveFile(host: ParentNode, blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  host.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
