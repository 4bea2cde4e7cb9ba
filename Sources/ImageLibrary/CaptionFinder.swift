/// Finds the caption files next to images, in order of precedence: a sidecar `NAME.ext.txt`
/// or `NAME.txt`, then the folder's `captions.json`. (Captions inside the image, EXIF and XMP,
/// come after these; see `EmbeddedCaption`.)
///
/// One finder serves one scan: each folder's `captions.json` is read once, and a broken one is
/// reported once through `failures`.
struct CaptionFinder {
    /// Caption files larger than this are ignored: a caption is a sentence or two.
    static let maxCaptionFileBytes = 1 << 16
    static let maxCaptionsJSONBytes = 16 << 20

    private var captionsByFolder: [String: [String: String]] = [:]
    /// Broken captions.json files met so far.
    private(set) var failures: [LibraryError] = []

    /// The caption for the image at `path` from a sidecar or captions.json, nil when neither has one.
    mutating func fileCaption(for path: String) -> (caption: String, source: CaptionSource)? {
        let folder = PathParts.parentFolder(of: path)
        let name = PathParts.lastComponent(of: path)
        let stem = PathParts.stem(of: name)
        var sidecars = [PathParts.join(folder, name + ".txt")]
        if stem != name { sidecars.append(PathParts.join(folder, stem + ".txt")) }
        for sidecar in sidecars {
            if let text = FileSystem.readText(sidecar, limit: Self.maxCaptionFileBytes),
               let caption = CaptionText.clean(text) {
                return (caption, .sidecar)
            }
        }
        if let caption = captions(in: folder)[name].flatMap(CaptionText.clean) {
            return (caption, .captionsJSON)
        }
        return nil
    }

    private mutating func captions(in folder: String) -> [String: String] {
        if let known = captionsByFolder[folder] { return known }
        var captions: [String: String] = [:]
        let file = PathParts.join(folder, "captions.json")
        if FileSystem.exists(file) {
            switch FileSystem.read(file, limit: Self.maxCaptionsJSONBytes) {
            case .success(let bytes):
                do {
                    captions = try JSONObjectParser.stringMembers(of: String(decoding: bytes, as: UTF8.self))
                } catch {
                    failures.append(LibraryError(path: file, problem: "not a JSON object of file names to captions (\(error.message) at byte \(error.offset))"))
                }
            case .failure(let error):
                failures.append(error)
            }
        }
        captionsByFolder[folder] = captions
        return captions
    }
}
