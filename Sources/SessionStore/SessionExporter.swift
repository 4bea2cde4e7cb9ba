import LocalStorage

/// Writes a session's export to disk: `baseName.md`, `baseName.json` and, when the chat has
/// images, `baseName-images/` with copies of them. Every file is written atomically (temporary
/// file in the same folder, fsync, rename), so an interrupted export never leaves half a file.
public enum SessionExporter {
    /// Writes the export into `directory` (created if missing) and returns the two documents' paths.
    /// A source image that cannot be read is skipped and noted in the Markdown as
    /// "(image missing: path)"; any failure to write throws, naming the file.
    @discardableResult
    public static func write(
        _ snapshot: SessionSnapshot,
        to directory: String,
        baseName: String
    ) throws(SessionExportError) -> (markdownPath: String, jsonPath: String) {
        guard !baseName.isEmpty, baseName != ".", baseName != "..",
              !baseName.contains(where: { $0 == "/" || $0 == "\0" })
        else {
            throw SessionExportError(path: baseName, problem: "not a usable file name for an export")
        }
        let folder = directory.isEmpty ? "." : directory
        let markdownPath = "\(folder)/\(baseName).md"
        let jsonPath = "\(folder)/\(baseName).json"
        let imagesFolderName = "\(baseName)-images"
        do {
            try FolderPaths.makeDirectories(folder)
            var missing: Set<String> = []
            let images = SessionExport.exportedImages(snapshot)
            if !images.isEmpty {
                let imagesFolder = "\(folder)/\(imagesFolderName)"
                try FolderPaths.makeDirectories(imagesFolder)
                for image in images {
                    let result = try AtomicFiles.copyFile(
                        from: image.source, to: "\(imagesFolder)/\(image.exportedName)")
                    if case .sourceUnreadable = result { missing.insert(image.source) }
                }
            }
            let markdown = SessionExport.markdown(snapshot, imagesFolder: imagesFolderName, missingImages: missing)
            try AtomicFiles.writeText(markdown.markdown, to: markdownPath)
            try AtomicFiles.writeText(SessionExport.json(snapshot), to: jsonPath)
        } catch {
            throw SessionExportError(path: error.path, problem: error.reason)
        }
        return (markdownPath, jsonPath)
    }
}
