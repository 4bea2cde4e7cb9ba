/// How large an image the decoder accepts, checked before anything large is allocated.
///
/// A few-kilobyte PNG or JPEG can claim to be 60000x60000 pixels and make a naive decoder
/// allocate gigabytes (a "decompression bomb"); the sizes in the header are checked against
/// these limits first, and the file itself is never read into memory past `maxFileBytes`.
public struct ImageLimits: Sendable, Equatable {
    /// The most pixels (width * height) an image may have.
    public var maxPixels: Int
    /// The longest either side may be, in pixels.
    public var maxSide: Int
    /// The largest file read into memory, in bytes.
    public var maxFileBytes: Int

    public init(maxPixels: Int = 50_000_000, maxSide: Int = 30_000,
                maxFileBytes: Int = 256 * 1024 * 1024) {
        self.maxPixels = maxPixels
        self.maxSide = maxSide
        self.maxFileBytes = maxFileBytes
    }

    /// 50 megapixels, 30000 pixels a side, 256 MiB of file.
    public static let `default` = ImageLimits()

    /// The error for an image of this size, or nil when it is within the limits.
    func check(width: Int, height: Int, path: String) -> ImageError? {
        if width > maxSide || height > maxSide {
            return .sideTooLong(path: path, width: width, height: height, limit: maxSide)
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || pixels > maxPixels {
            return .tooManyPixels(path: path, width: width, height: height, limit: maxPixels)
        }
        return nil
    }
}
