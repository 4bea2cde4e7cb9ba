import CJpegShim

/// Writes RGBA pixels (alpha dropped) as a baseline JPEG file's bytes, through libjpeg.
public enum JPEGEncoder {
    /// The bytes of a JPEG holding `image` at `quality` (1 to 100; 90 by default).
    public static func encode(_ image: RGBAImage, quality: Int = 90) throws(ImageError) -> [UInt8] {
        var data: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let clamped = Int32(min(100, max(1, quality)))
        let code = image.pixels.withUnsafeBufferPointer { pixels in
            cjpeg_encode_rgba(pixels.baseAddress, Int32(clamping: image.width),
                              Int32(clamping: image.height), clamped, &data, &size, &message,
                              message.count)
        }
        defer { cjpeg_free(data) }
        guard code == Int32(CJPEG_OK), let data else {
            let text = cString(message)
            throw .encodingFailed(format: .jpeg, reason: text.isEmpty ? "error \(code)" : text)
        }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }
}
