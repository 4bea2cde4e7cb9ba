import Foundation

/// Shared by the test targets that compare against NumPy reference fixtures.
///
/// A NumPy `.npy` array (format 1.0–3.0, C order) read as Double values, whatever its
/// little-endian numeric dtype, for comparing against reference outputs.
public struct NpyArray {
    public let shape: [Int]
    public let values: [Double]

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(contentsOf url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        let name = url.lastPathComponent
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw Failure(description: "\(name): not a .npy file")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        } else {
            guard bytes.count >= 12 else { throw Failure(description: "\(name): truncated header") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        }
        guard headerStart + headerLength <= bytes.count,
              let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: .utf8)
        else { throw Failure(description: "\(name): bad header") }
        func field(_ key: String) -> String? {
            guard let range = header.range(of: "'\(key)':") else { return nil }
            return String(header[range.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard let descrField = field("descr"), let quoteEnd = descrField.dropFirst().firstIndex(of: "'") else {
            throw Failure(description: "\(name): no dtype")
        }
        let descr = String(descrField[descrField.index(after: descrField.startIndex)..<quoteEnd])
        guard field("fortran_order")?.hasPrefix("False") == true else {
            throw Failure(description: "\(name): Fortran order is not supported")
        }
        guard let shapeField = field("shape"), let open = shapeField.firstIndex(of: "("),
              let close = shapeField.firstIndex(of: ")") else { throw Failure(description: "\(name): no shape") }
        shape = shapeField[shapeField.index(after: open)..<close].split(separator: ",")
            .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let count = shape.reduce(1, *)
        let data = Array(bytes[(headerStart + headerLength)...])
        func load<T>(_ type: T.Type, _ convert: (T) -> Double) throws -> [Double] {
            guard data.count >= count * MemoryLayout<T>.size else {
                throw Failure(description: "\(name): \(data.count) data bytes for \(count) \(descr) values")
            }
            return data.withUnsafeBytes { raw in
                (0..<count).map { convert(raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
            }
        }
        switch descr {
        case "<f4": values = try load(Float.self) { Double($0) }
        case "<f8": values = try load(Double.self) { $0 }
        case "|u1", "<u1": values = try load(UInt8.self) { Double($0) }
        case "<i4": values = try load(Int32.self) { Double($0) }
        case "<i8": values = try load(Int64.self) { Double($0) }
        default: throw Failure(description: "\(name): dtype \(descr) is not supported")
        }
    }
}

/// The largest absolute difference between `ours` and `reference`, relative to the reference's
/// largest magnitude (the acceptance measure for every stage after the 8-bit image).
public func relativeError<S: Sequence>(_ ours: S, _ reference: [Double]) -> Double where S.Element == Float {
    let values = Array(ours)
    precondition(values.count == reference.count, "\(values.count) values against \(reference.count)")
    let scale = reference.reduce(0) { max($0, abs($1)) }
    var worst = 0.0
    for (a, b) in zip(values, reference) { worst = max(worst, abs(Double(a) - b)) }
    return scale > 0 ? worst / scale : worst
}
