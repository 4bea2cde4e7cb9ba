extension VocabularyTokenizer {
    /// Cuts out the Hugging Face special texts, leftmost (and longest) first, and strips
    /// whitespace next to each, as the slow tokenizer's `tokenize` does.
    func huggingFaceSplit(_ bytes: UnsafeBufferPointer<UInt8>) -> [Fragment] {
        var pieces: [Fragment] = []
        var textStart = 0
        var position = 0
        var stripLeading = false
        func addText(_ range: Range<Int>, stripTrailing: Bool) {
            var lower = range.lowerBound, upper = range.upperBound
            if stripLeading { lower = PythonWhitespace.skipForward(bytes, from: lower, to: upper) }
            if stripTrailing { upper = PythonWhitespace.skipBackward(bytes, from: upper, to: lower) }
            if lower < upper { pieces.append(.text(lower ..< upper)) }
        }
        search: while position < bytes.count {
            for special in huggingFaceSpecials where special.text.count <= bytes.count - position {
                let matches = special.text.withUnsafeBufferPointer { needle in
                    VocabularyIndex.find(needle, in: bytes, from: position, to: position + needle.count) == position
                }
                if matches {
                    addText(textStart ..< position, stripTrailing: true)
                    pieces.append(.token(special.token))
                    position += special.text.count
                    textStart = position
                    stripLeading = true
                    continue search
                }
            }
            position += 1
        }
        addText(textStart ..< bytes.count, stripTrailing: false)
        return pieces
    }
}
