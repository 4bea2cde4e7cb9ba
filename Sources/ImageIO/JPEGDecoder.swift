import CJpegShim

/// JPEG files through libjpeg (by way of the C shim, which turns libjpeg's longjmp errors
/// into result codes).
enum JPEGDecoder {
    /// The stored size and orientation, from the header alone. With `limits`, a size beyond
    /// them is refused, checked from the frame header before libjpeg runs.
    static func header(_ bytes: [UInt8], path: String, limits: ImageLimits?)
        throws(ImageError) -> ImageInfo {
        let segments = JPEGSegments(bytes)
        if let limits, let width = segments.frameWidth, let height = segments.frameHeight,
           let error = limits.check(width: width, height: height, path: path) {
            throw error
        }
        var info = cjpeg_info()
        var message = [CChar](repeating: 0, count: 256)
        let code = bytes.withUnsafeBufferPointer { data in
            cjpeg_read_info(data.baseAddress, data.count, &info, &message, message.count)
        }
        if code != Int32(CJPEG_OK) { throw error(code: code, message: message, path: path) }
        guard info.width > 0, info.height > 0 else {
            throw .corrupt(path: path, format: .jpeg,
                           detail: "the header gives a size of \(info.width)x\(info.height)")
        }
        let width = Int(info.width), height = Int(info.height)
        if let limits, let error = limits.check(width: width, height: height, path: path) {
            throw error
        }
        return ImageInfo(format: .jpeg, storedWidth: width, storedHeight: height,
                         orientation: segments.orientation ?? .up)
    }

    /// The pixels as stored (orientation not applied) and the orientation to apply.
    static func decode(_ bytes: [UInt8], path: String, limits: ImageLimits)
        throws(ImageError) -> (RGBAImage, ExifOrientation) {
        let info = try header(bytes, path: path, limits: limits)
        let width = info.storedWidth, height = info.storedHeight
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        var message = [CChar](repeating: 0, count: 256)
        let code = bytes.withUnsafeBufferPointer { data in
            pixels.withUnsafeMutableBufferPointer { out in
                cjpeg_decode_rgba(data.baseAddress, data.count, Int32(width), Int32(height),
                                  out.baseAddress, out.count, &message, message.count)
            }
        }
        if code != Int32(CJPEG_OK) { throw error(code: code, message: message, path: path) }
        return (RGBAImage(width: width, height: height, pixels: pixels), info.orientation)
    }

    /// The error for a shim result code, with libjpeg's message.
    private static func error(code: Int32, message: [CChar], path: String) -> ImageError {
        let text = cString(message)
        switch code {
        case Int32(CJPEG_TRUNCATED):
            return .truncated(path: path, format: .jpeg, detail: text)
        case Int32(CJPEG_NO_MEMORY):
            return .outOfMemory(path: path, bytes: 0)
        default:
            return .corrupt(path: path, format: .jpeg, detail: text.isEmpty ? "error \(code)" : text)
        }
    }
}

/// The text in a NUL-terminated C buffer (invalid UTF-8 repaired).
func cString(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}
