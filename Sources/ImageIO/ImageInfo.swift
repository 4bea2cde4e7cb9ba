/// What an image file's header says, without decoding its pixels.
public struct ImageInfo: Sendable, Equatable {
    public let format: ImageFormat
    /// The size as stored in the file, before the orientation is applied.
    public let storedWidth: Int
    public let storedHeight: Int
    /// The EXIF orientation (`.up` when the file records none).
    public let orientation: ExifOrientation

    public init(format: ImageFormat, storedWidth: Int, storedHeight: Int,
                orientation: ExifOrientation) {
        self.format = format
        self.storedWidth = storedWidth
        self.storedHeight = storedHeight
        self.orientation = orientation
    }

    /// The width of the upright picture, which is what `ImageDecoder.decode` returns.
    public var width: Int { orientation.swapsDimensions ? storedHeight : storedWidth }
    /// The height of the upright picture.
    public var height: Int { orientation.swapsDimensions ? storedWidth : storedHeight }
}
