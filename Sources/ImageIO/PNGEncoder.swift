import CPng

/// Writes RGBA pixels as a PNG file's bytes, through libpng's simplified API.
public enum PNGEncoder {
    /// The bytes of an 8-bit RGBA PNG holding `image`.
    public static func encode(_ image: RGBAImage) throws(ImageError) -> [UInt8] {
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        png.width = UInt32(image.width)
        png.height = UInt32(image.height)
        png.format = CPNG_FORMAT_RGBA
        defer { png_image_free(&png) }
        // First ask for the size, then write into a buffer of that size.
        var size = 0
        let sized = image.pixels.withUnsafeBytes { pixels in
            png_image_write_to_memory(&png, nil, &size, 0, pixels.baseAddress, 0, nil)
        }
        guard sized != 0, size > 0 else { throw failure(png) }
        var out = [UInt8](repeating: 0, count: size)
        let written = image.pixels.withUnsafeBytes { pixels in
            out.withUnsafeMutableBytes { target in
                png_image_write_to_memory(&png, target.baseAddress, &size, 0, pixels.baseAddress,
                                          0, nil)
            }
        }
        guard written != 0 else { throw failure(png) }
        out.removeSubrange(min(size, out.count)...)
        return out
    }

    private static func failure(_ image: png_image) -> ImageError {
        var message = image.message
        let text = withUnsafeBytes(of: &message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return .encodingFailed(format: .png, reason: text.isEmpty ? "libpng gave no reason" : text)
    }
}
