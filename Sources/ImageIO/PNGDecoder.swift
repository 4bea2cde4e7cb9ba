import CPng

/// PNG files through libpng's simplified API, which handles every bit depth and colour type
/// (palette, greyscale, alpha, 16-bit, interlaced) and reports errors in the png_image struct
/// rather than by longjmp, and never prints.
enum PNGDecoder {
    /// The stored size and orientation, from IHDR and the chunks before the image data. With
    /// `limits`, a size beyond them is refused (checked from IHDR before libpng runs).
    static func header(_ bytes: [UInt8], path: String, limits: ImageLimits?)
        throws(ImageError) -> ImageInfo {
        let chunks = PNGChunks(bytes)
        try checkChunks(chunks, path: path, limits: limits)
        let result = bytes.withUnsafeBytes { data -> Result<ImageInfo, ImageError> in
            var image = png_image()
            image.version = UInt32(PNG_IMAGE_VERSION)
            defer { png_image_free(&image) }
            guard png_image_begin_read_from_memory(&image, data.baseAddress, data.count) != 0 else {
                return .failure(error(image, chunks: chunks, path: path))
            }
            return .success(ImageInfo(format: .png, storedWidth: Int(image.width),
                                      storedHeight: Int(image.height),
                                      orientation: chunks.orientation ?? .up))
        }
        let info = try result.get()
        if let limits, let error = limits.check(width: info.storedWidth,
                                                height: info.storedHeight, path: path) {
            throw error
        }
        return info
    }

    /// The pixels as stored (orientation not applied) and the orientation to apply.
    static func decode(_ bytes: [UInt8], path: String, limits: ImageLimits)
        throws(ImageError) -> (RGBAImage, ExifOrientation) {
        let chunks = PNGChunks(bytes)
        try checkChunks(chunks, path: path, limits: limits)
        let result = bytes.withUnsafeBytes { data -> Result<RGBAImage, ImageError> in
            var image = png_image()
            image.version = UInt32(PNG_IMAGE_VERSION)
            defer { png_image_free(&image) }
            guard png_image_begin_read_from_memory(&image, data.baseAddress, data.count) != 0 else {
                return .failure(error(image, chunks: chunks, path: path))
            }
            let width = Int(image.width), height = Int(image.height)
            if let error = limits.check(width: width, height: height, path: path) {
                return .failure(error)
            }
            guard width > 0, height > 0 else {
                return .failure(.corrupt(path: path, format: .png,
                                         detail: "the header gives a size of \(width)x\(height)"))
            }
            image.format = CPNG_FORMAT_RGBA
            // Without this flag libpng takes 16-bit samples with no gAMA or sRGB chunk to be
            // linear light and brightens them; every other reader treats them as sRGB.
            image.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
            var pixels = [UInt8](repeating: 0, count: width * height * 4)
            let ok = pixels.withUnsafeMutableBytes { out in
                png_image_finish_read(&image, nil, out.baseAddress, 0, nil)
            }
            guard ok != 0 else { return .failure(error(image, chunks: chunks, path: path)) }
            return .success(RGBAImage(width: width, height: height, pixels: pixels))
        }
        return (try result.get(), chunks.orientation ?? .up)
    }

    private static func checkChunks(_ chunks: PNGChunks, path: String, limits: ImageLimits?)
        throws(ImageError) {
        if let limits, let width = chunks.width, let height = chunks.height,
           let error = limits.check(width: width, height: height, path: path) {
            throw error
        }
    }

    /// libpng's message, as a truncation when the chunks stop short of IEND.
    private static func error(_ image: png_image, chunks: PNGChunks, path: String) -> ImageError {
        var message = image.message
        let text = withUnsafeBytes(of: &message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let detail = text.isEmpty ? "libpng gave no reason" : text
        if !chunks.complete {
            return .truncated(path: path, format: .png, detail: detail)
        }
        return .corrupt(path: path, format: .png, detail: detail)
    }
}
