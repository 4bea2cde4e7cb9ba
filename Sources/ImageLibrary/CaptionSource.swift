/// Where an image's caption came from. The raw values are what the database stores.
public enum CaptionSource: String, Sendable, Equatable, CaseIterable {
    /// A `NAME.txt` or `NAME.ext.txt` file next to the image.
    case sidecar
    /// A `captions.json` in the image's folder mapping file names to captions.
    case captionsJSON = "captions.json"
    /// EXIF ImageDescription (tag 0x010E) inside the image.
    case exif
    /// XMP `dc:description` inside the image.
    case xmp
    /// Set through `LibraryIndex.setCaption`, e.g. written by a captioning model.
    case model
    /// No caption.
    case none

    /// Sources read from files on disk: when a scan finds one, it replaces whatever caption
    /// the image had; other captions (a model's) are kept when no file gives one.
    public var isFileBased: Bool {
        switch self {
        case .sidecar, .captionsJSON, .exif, .xmp: return true
        case .model, .none: return false
        }
    }
}
