/// Everything that can go wrong reading, decoding or encoding an image.
///
/// `description` is one line that starts with the file's name (or the name given for bytes in
/// memory) and says what is wrong, ready to be shown to a person:
/// "cat.png: the image is 20000x20000 pixels, more than the 50-megapixel limit".
public enum ImageError: Error, CustomStringConvertible, Equatable {
    /// No file at the path.
    case fileNotFound(path: String)
    /// The path is a directory.
    case isDirectory(path: String)
    /// The file exists but could not be opened or read; `reason` is the system's word for it.
    case unreadable(path: String, reason: String)
    /// The file has no bytes at all.
    case emptyFile(path: String)
    /// The file is bigger than `limit` bytes; `bytes` is its size, or nil for a stream (a pipe)
    /// known only to go on past the limit.
    case fileTooLarge(path: String, bytes: Int?, limit: Int)
    /// Neither JPEG nor PNG; `looksLike` says what it seems to be ("text", "a GIF image").
    case unsupportedFormat(path: String, looksLike: String)
    /// The data ends before the image does; `detail` is the decoder's message.
    case truncated(path: String, format: ImageFormat, detail: String)
    /// The decoder refused the data; `detail` is its message.
    case corrupt(path: String, format: ImageFormat, detail: String)
    /// More pixels than `ImageLimits.maxPixels` (`limit`).
    case tooManyPixels(path: String, width: Int, height: Int, limit: Int)
    /// A side longer than `ImageLimits.maxSide` (`limit`).
    case sideTooLong(path: String, width: Int, height: Int, limit: Int)
    /// Memory for the pixels could not be had.
    case outOfMemory(path: String, bytes: Int)
    /// Encoding an image failed; `reason` is the encoder's message.
    case encodingFailed(format: ImageFormat, reason: String)

    /// The file or name the error concerns ("" for encoding errors).
    public var path: String {
        switch self {
        case .fileNotFound(let path), .isDirectory(let path), .unreadable(let path, _),
             .emptyFile(let path), .fileTooLarge(let path, _, _),
             .unsupportedFormat(let path, _), .truncated(let path, _, _),
             .corrupt(let path, _, _), .tooManyPixels(let path, _, _, _),
             .sideTooLong(let path, _, _, _), .outOfMemory(let path, _):
            return path
        case .encodingFailed:
            return ""
        }
    }

    public var description: String {
        if case .encodingFailed(let format, let reason) = self {
            return "\(format) encoding failed: \(OneLine.clean(reason))"
        }
        return "\(OneLine.clean(path)): \(problem)"
    }

    /// The message without the leading path.
    private var problem: String {
        switch self {
        case .fileNotFound:
            return "no such file"
        case .isDirectory:
            return "is a directory, not an image file"
        case .unreadable(_, let reason):
            return "cannot read the file: \(OneLine.clean(reason))"
        case .emptyFile:
            return "the file is empty"
        case .fileTooLarge(_, let bytes, let limit):
            guard let bytes else {
                return "the file is larger than the \(mebibytes(limit)) limit for images"
            }
            return "the file is \(mebibytes(bytes)), more than the \(mebibytes(limit)) limit for images"
        case .unsupportedFormat(_, let looksLike):
            return "not a JPEG or PNG image (it looks like \(OneLine.clean(looksLike)))"
        case .truncated(_, let format, let detail):
            return "the \(format) data is truncated (\(OneLine.clean(detail)))"
        case .corrupt(_, let format, let detail):
            return "the \(format) data is corrupt (\(OneLine.clean(detail)))"
        case .tooManyPixels(_, let width, let height, let limit):
            return "the image is \(width)x\(height) pixels, more than the \(pixelLimit(limit)) limit"
        case .sideTooLong(_, let width, let height, let limit):
            return "the image is \(width)x\(height) pixels, a side longer than the "
                + "\(limit)-pixel limit"
        case .outOfMemory(_, let bytes):
            return "not enough memory for the \(mebibytes(bytes)) of decoded pixels"
        case .encodingFailed(_, let reason):
            return OneLine.clean(reason)
        }
    }

    /// "50-megapixel" for whole millions, "1000-pixel" otherwise.
    private func pixelLimit(_ limit: Int) -> String {
        if limit >= 1_000_000, limit % 1_000_000 == 0 {
            return "\(limit / 1_000_000)-megapixel"
        }
        return "\(limit)-pixel"
    }

    /// "256 MiB", "1.5 MiB", "300 bytes".
    private func mebibytes(_ bytes: Int) -> String {
        let mib = 1024 * 1024
        if bytes < mib { return "\(bytes) bytes" }
        if bytes % mib == 0 { return "\(bytes / mib) MiB" }
        let tenths = (bytes * 10 + mib / 2) / mib
        return "\(tenths / 10).\(tenths % 10) MiB"
    }
}

/// Text made safe for a one-line message: control characters become escapes and very long
/// text is shortened (a file name or a decoder message can contain anything).
enum OneLine {
    static func clean(_ text: String, limit: Int = 300) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                out += "…"
                break
            }
            count += 1
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                    let digits = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\x" + (digits.count < 2 ? "0" + digits : digits)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
