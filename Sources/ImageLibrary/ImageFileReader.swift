import ImageIO

/// Reads one image file for the index: its bytes' hash, upright size, a thumbnail and the
/// caption stored inside it. Pure apart from the one read of the file.
enum ImageFileReader {
    /// Thumbnails fit in this square.
    static let thumbnailSide = 160

    struct Contents: Sendable {
        var hash: String
        var byteSize: Int
        var width: Int
        var height: Int
        var thumbnail: [UInt8]
        var embeddedCaption: (caption: String, source: CaptionSource)?
    }

    /// Whether the file starts like a JPEG or PNG (the scan indexes only those).
    static func looksLikeImage(_ path: String) -> Bool {
        guard case .success(let head) = FileSystem.read(path, prefix: 8) else { return false }
        return ImageFormat.sniff(head) != nil
    }

    static func read(_ path: String) -> Result<Contents, LibraryError> {
        let bytes: [UInt8]
        switch FileSystem.read(path, limit: ImageLimits.default.maxFileBytes) {
        case .success(let read): bytes = read
        case .failure(let error): return .failure(error)
        }
        return contents(of: bytes, name: path)
    }

    /// `read` for bytes in memory; `name` stands for the file in errors.
    static func contents(of bytes: [UInt8], name: String) -> Result<Contents, LibraryError> {
        let image: RGBAImage
        let thumbnail: [UInt8]
        do {
            image = try ImageDecoder.decode(bytes: bytes, name: name)
            thumbnail = try PNGEncoder.encode(image.downscaled(toFitWidth: thumbnailSide, height: thumbnailSide))
        } catch {
            // ImageError's description starts with the name; keep only the problem after it.
            let text = error.description
            let prefix = name + ": "
            let problem = text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
            return .failure(LibraryError(path: name, problem: problem))
        }
        return .success(Contents(hash: FNV1a.hex(bytes), byteSize: bytes.count, width: image.width,
                                 height: image.height, thumbnail: thumbnail,
                                 embeddedCaption: EmbeddedCaption.find(in: bytes)))
    }
}
