/// How a stored picture must be turned to be upright: the values of EXIF tag 0x0112.
///
/// The names say what to do to the stored pixels to display them, in the order the EXIF
/// standard numbers them. Cameras store sensor rows as they come and record the turn here.
public enum ExifOrientation: Int, Sendable, Equatable, CaseIterable {
    /// 1: already upright.
    case up = 1
    /// 2: mirror left to right.
    case mirrored = 2
    /// 3: turn half a circle.
    case rotated180 = 3
    /// 4: mirror top to bottom.
    case mirroredVertically = 4
    /// 5: mirror along the main diagonal (swap rows and columns).
    case transposed = 5
    /// 6: turn a quarter clockwise (typical of a phone photo taken held upright).
    case rotated90Clockwise = 6
    /// 7: mirror along the other diagonal.
    case transversed = 7
    /// 8: turn a quarter counter-clockwise.
    case rotated90CounterClockwise = 8

    /// True when width and height trade places (orientations 5 to 8).
    public var swapsDimensions: Bool { rawValue >= 5 }
}
