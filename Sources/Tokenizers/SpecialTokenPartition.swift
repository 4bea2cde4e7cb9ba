/// A piece of input after special tokens are cut out: raw text (a byte range of the input) to
/// be tokenized, or a special token matched whole.
enum Fragment: Equatable {
    case text(Range<Int>)
    case token(Int32)
}

extension VocabularyIndex {
    /// Cuts special tokens out of `text[range]` the way llama.cpp's `tokenizer_st_partition`
    /// does, appending the pieces to `fragments`.
    ///
    /// Special tokens are taken one at a time, longest text first, and each cuts every
    /// remaining text fragment at all its occurrences, left to right. So a longer token wins
    /// over a shorter one it contains, and the result does not depend on where in the text a
    /// match starts. Control and unknown tokens are cut only when `parseSpecial` is true;
    /// user-defined tokens are always cut (Hugging Face's added tokens behave the same way).
    func partition(_ text: UnsafeBufferPointer<UInt8>, range: Range<Int>, parseSpecial: Bool,
                   into fragments: inout [Fragment]) {
        guard !range.isEmpty else { return }
        var current: [Fragment] = [.text(range)]
        var next: [Fragment] = []
        for special in specialTokens {
            let attributes = self.attributes[Int(special)]
            if !parseSpecial && attributes.isHiddenWhenNotRendering { continue }
            let start = textStarts[Int(special)]
            let length = textStarts[Int(special) + 1] - start
            guard length > 0 else { continue }
            var changed = false
            next.removeAll(keepingCapacity: true)
            textBytes.withUnsafeBufferPointer { all in
                let needle = UnsafeBufferPointer(rebasing: all[start ..< start + length])
                for fragment in current {
                    guard case .text(let piece) = fragment, piece.count >= length else {
                        next.append(fragment)
                        continue
                    }
                    var from = piece.lowerBound
                    while let match = Self.find(needle, in: text, from: from, to: piece.upperBound) {
                        if match > from { next.append(.text(from ..< match)) }
                        next.append(.token(special))
                        from = match + length
                        changed = true
                    }
                    if from < piece.upperBound { next.append(.text(from ..< piece.upperBound)) }
                }
            }
            if changed { swap(&current, &next) }
        }
        fragments.append(contentsOf: current)
    }

    /// First position ≥ `from` where `needle` occurs entirely before `to`.
    static func find(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>,
                     from: Int, to: Int) -> Int? {
        let length = needle.count
        guard length > 0, to - from >= length else { return nil }
        let first = needle[0]
        var position = from
        let last = to - length
        while position <= last {
            if haystack[position] == first {
                var index = 1
                while index < length && haystack[position + index] == needle[index] { index += 1 }
                if index == length { return position }
            }
            position += 1
        }
        return nil
    }
}
