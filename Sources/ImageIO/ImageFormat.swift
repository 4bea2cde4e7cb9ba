/// The file formats `ImageDecoder` reads.
///
/// A format is always recognised from the file's first bytes, never from its name: a PNG saved
/// as `photo.jpg` decodes as a PNG, and a text file named `cat.png` is refused as text.
public enum ImageFormat: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    case jpeg
    case png

    /// The format whose signature `bytes` starts with, or nil for anything else.
    ///
    /// JPEG: `FF D8 FF` (start-of-image followed by the next marker). PNG: the 8-byte PNG
    /// signature `89 50 4E 47 0D 0A 1A 0A`.
    public static func sniff<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> ImageFormat? {
        let head = Array(bytes.prefix(8))
        if head.count >= 3, head[0] == 0xFF, head[1] == 0xD8, head[2] == 0xFF {
            return .jpeg
        }
        if head == pngSignature {
            return .png
        }
        return nil
    }

    /// "JPEG" or "PNG", as written in messages.
    public var description: String {
        switch self {
        case .jpeg: return "JPEG"
        case .png: return "PNG"
        }
    }

    /// The first eight bytes of every PNG file.
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
}
