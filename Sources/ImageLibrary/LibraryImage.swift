/// One indexed image: a row of the library database.
public struct LibraryImage: Sendable, Equatable {
    /// Absolute path of the file (unique in the library).
    public var path: String
    /// The folder holding the file.
    public var folder: String
    /// FNV-1a 64 of the file's bytes, 16 lower-case hex digits.
    public var contentHash: String
    /// File size in bytes.
    public var byteSize: Int
    /// Modification time in nanoseconds since the epoch.
    public var modificationTime: Int64
    /// Upright size in pixels (EXIF orientation applied).
    public var width: Int
    public var height: Int
    /// A PNG of at most 160x160 pixels.
    public var thumbnail: [UInt8]
    /// The caption, nil when there is none.
    public var caption: String?
    public var captionSource: CaptionSource
    /// When the row was last written, seconds since the epoch.
    public var indexedAt: Double

    public init(path: String, folder: String, contentHash: String, byteSize: Int,
                modificationTime: Int64, width: Int, height: Int, thumbnail: [UInt8],
                caption: String?, captionSource: CaptionSource, indexedAt: Double) {
        self.path = path
        self.folder = folder
        self.contentHash = contentHash
        self.byteSize = byteSize
        self.modificationTime = modificationTime
        self.width = width
        self.height = height
        self.thumbnail = thumbnail
        self.caption = caption
        self.captionSource = captionSource
        self.indexedAt = indexedAt
    }

    /// The file name, e.g. "coffee.png".
    public var fileName: String { PathParts.lastComponent(of: path) }
}
