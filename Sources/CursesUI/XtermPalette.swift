/// The RGB values of xterm's 256-colour palette, for terminals that want colours as RGB.
enum XtermPalette {
    static let ansi: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static func rgb(_ index: Int) -> (UInt8, UInt8, UInt8) {
        switch index {
        case 0..<16: return ansi[index]
        case 16..<232:
            let cube = index - 16
            func level(_ v: Int) -> UInt8 { v == 0 ? 0 : UInt8(55 + 40 * v) }
            return (level(cube / 36), level(cube / 6 % 6), level(cube % 6))
        case 232..<256:
            let grey = UInt8(8 + 10 * (index - 232))
            return (grey, grey, grey)
        default: return (0, 0, 0)
        }
    }
}
