/// Reads JPEG and PNG files into upright RGBA pixels.
///
/// The format comes from the data's first bytes, the size is checked against `ImageLimits`
/// from the header before the pixels are allocated, and the EXIF orientation (JPEG APP1, PNG
/// eXIf) is applied, so callers always get the picture the right way up. Every failure is an
/// `ImageError` whose description is one line naming the file; nothing is printed.
public enum ImageDecoder {
    /// How much of a file `probe` reads first; enough for any ordinary header.
    static let probePrefix = 1 << 20

    /// Decodes the image file at `path`.
    public static func decode(path: String, limits: ImageLimits = .default)
        throws(ImageError) -> RGBAImage {
        let file = try FileReader.read(path: path, limit: limits.maxFileBytes)
        return try decode(bytes: file.bytes, name: path, limits: limits)
    }

    /// Decodes an image held in memory; `name` stands for the file in error messages.
    public static func decode(bytes: [UInt8], name: String, limits: ImageLimits = .default)
        throws(ImageError) -> RGBAImage {
        let format = try sniff(bytes, name: name, limits: limits)
        let (stored, orientation): (RGBAImage, ExifOrientation)
        switch format {
        case .jpeg: (stored, orientation) = try JPEGDecoder.decode(bytes, path: name, limits: limits)
        case .png: (stored, orientation) = try PNGDecoder.decode(bytes, path: name, limits: limits)
        }
        return orientation == .up ? stored : stored.oriented(orientation)
    }

    /// The format, size and orientation of the image file at `path`, from its header alone
    /// (normally only its first megabyte is read). The size is not checked against any limit.
    ///
    /// With `limits`, a picture too large to decode is refused from its header alone, the way
    /// `decode` would refuse it, so a decompression bomb is turned away before anyone tries.
    public static func probe(path: String, limits: ImageLimits? = nil) throws(ImageError) -> ImageInfo {
        let limit = ImageLimits.default.maxFileBytes
        let head = try FileReader.read(path: path, limit: Int.max - 1, prefix: probePrefix)
        do {
            return try probe(bytes: head.bytes, name: path, limits: limits)
        } catch {
            // A header longer than the prefix (huge metadata before the image data).
            guard head.wasCut, case .truncated = error else { throw error }
        }
        let whole = try FileReader.read(path: path, limit: limit)
        return try probe(bytes: whole.bytes, name: path, limits: limits)
    }

    /// The format, size and orientation of an image held in memory (or the start of one).
    public static func probe(bytes: [UInt8], name: String, limits: ImageLimits? = nil) throws(ImageError) -> ImageInfo {
        let format = try sniff(bytes, name: name, limits: nil)
        switch format {
        case .jpeg: return try JPEGDecoder.header(bytes, path: name, limits: limits)
        case .png: return try PNGDecoder.header(bytes, path: name, limits: limits)
        }
    }

    private static func sniff(_ bytes: [UInt8], name: String, limits: ImageLimits?)
        throws(ImageError) -> ImageFormat {
        if bytes.isEmpty { throw .emptyFile(path: name) }
        if let limits, bytes.count > limits.maxFileBytes {
            throw .fileTooLarge(path: name, bytes: bytes.count, limit: limits.maxFileBytes)
        }
        guard let format = ImageFormat.sniff(bytes) else {
            throw .unsupportedFormat(path: name, looksLike: ContentGuess.describe(bytes))
        }
        return format
    }
}
