/** Saves text as a file through the browser's download (works in Electron and the web harness). */
export function downloadText(filename: string, text: string, mimeType = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Reads a user-chosen file as text. */
export function readFileText(file: File): Promise<string> {
  return file.text()
}
