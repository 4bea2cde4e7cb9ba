import Foundation
import Testing
@testable import ImageLibrary

/// An index row with only what ranking looks at.
func libraryImage(_ path: String, _ caption: String?) -> LibraryImage {
    LibraryImage(path: path, folder: "/lib", contentHash: "0", byteSize: 0, modificationTime: 0, width: 1, height: 1,
                 thumbnail: [], caption: caption, captionSource: caption == nil ? .none : .sidecar, indexedAt: 0)
}

@Suite struct LibrarySearchTests {
    /// File names of one letter add no tokens (single letters are dropped), so only captions count.
    static let library = [
        libraryImage("/lib/a.png", "A red bicycle leaning against a wall"),  // red bicycle leaning against wall (5)
        libraryImage("/lib/b.png", "A red car parked on the street"),        // red car parked street (4)
        libraryImage("/lib/c.png", "An old bicycle in a garden shed"),       // old bicycle garden shed (4)
        libraryImage("/lib/d.png", "Red roses in a vase"),                   // red rose vase (3)
        libraryImage("/lib/e.png", "A bowl of soup"),                        // bowl soup (2)
        libraryImage("/lib/f.png", "Children riding bicycles and red scooters"),  // children riding bicycle red scooter (5)
        libraryImage("/lib/g.png", "A mountain lake at dawn"),               // mountain lake dawn (3)
        libraryImage("/lib/h.png", "A blue bicycle"),                        // blue bicycle (2)
        libraryImage("/lib/i.png", "Traffic lights showing red"),            // traffic light showing red (4)
        libraryImage("/lib/j.png", "A cat asleep on a sofa"),                // cat asleep sofa (3)
    ]

    /// Worked by hand: N = 10, avgdl = 35/10 = 3.5; "red" is in 5 documents (idf ln 2 ≈ 0.693),
    /// "bicycle" in 4 (idf ln(1 + 6.5/4.5) ≈ 0.894). One occurrence in a document of length L
    /// weighs 2.2 / (1 + 1.2 (0.25 + 0.75 L / 3.5)): L=2 1.213, L=3 1.062, L=4 0.945, L=5 0.851.
    /// a, f (both words, L=5): 0.851 × 1.587 = 1.350 (tie: by path); h (bicycle, L=2): 1.084;
    /// c (bicycle, L=4): 0.845; d (red, L=3): 0.736; b, i (red, L=4): 0.655 (tie: by path).
    @Test func ranksAFixedLibraryInTheOrderWorkedOutByHand() {
        let results = LibrarySearch.rank(caption: "A red bicycle", in: Self.library, excluding: [], limit: 10)
        #expect(results.map(\.image.path) == ["a", "f", "h", "c", "d", "b", "i"].map { "/lib/\($0).png" })
        #expect(results.first?.score == 1)
        #expect(abs((results.first?.bm25 ?? 0) - 0.8508 * (log(2.0) + log(1 + 6.5 / 4.5))) < 1e-3)
        #expect(abs(results[2].score - 1.0841 / 1.3503) < 1e-3)
        #expect(results.allSatisfy { $0.cosine == nil })
    }

    @Test func theDefaultLimitIsFour() {
        #expect(LibrarySearch.rank(caption: "red bicycle", in: Self.library, excluding: []).count == 4)
        #expect(LibrarySearch.rank(caption: "red bicycle", in: Self.library, excluding: [], limit: 0).isEmpty)
    }

    /// D1 = [cat, sat], D2 = [dog], D3 = [cat, cat, dog]: N = 3, avgdl = 2, "cat" in 2 documents,
    /// idf = ln(1 + 1.5/2.5) = ln 1.6. D1: tf 1, |D|/avgdl = 1, so 1·2.2/(1 + 1.2) = 1 → ln 1.6.
    /// D3: tf 2, |D|/avgdl = 1.5, 1 − 0.75 + 0.75·1.5 = 1.375, so 2·2.2/(2 + 1.65) = 4.4/3.65.
    @Test func bm25MatchesAHandComputation() {
        let bm25 = BM25(documents: [["cat", "sat"], ["dog"], ["cat", "cat", "dog"]])
        #expect(abs(bm25.score(query: ["cat"], document: 0) - log(1.6)) < 1e-12)
        #expect(bm25.score(query: ["cat"], document: 1) == 0)
        #expect(abs(bm25.score(query: ["cat"], document: 2) - log(1.6) * 4.4 / 3.65) < 1e-12)
        // "dog" is in D2 (|D| = 1: 1 − 0.75 + 0.375 = 0.625) and D3; repeats in the query count once.
        let dogIDF = log(1.6)
        #expect(abs(bm25.score(query: ["dog", "dog"], document: 1) - dogIDF * 2.2 / (1 + 1.2 * 0.625)) < 1e-12)
        #expect(bm25.score(query: ["cat"], document: 7) == 0)
        #expect(BM25(documents: []).score(query: ["cat"], document: 0) == 0)
    }

    @Test func excludedImagesNeverComeBackAndOthersKeepTheirScores() {
        let all = LibrarySearch.rank(caption: "red bicycle", in: Self.library, excluding: [], limit: 10)
        let excluded: Set = ["/lib/a.png", "/lib/h.png"]
        let results = LibrarySearch.rank(caption: "red bicycle", in: Self.library, excluding: excluded)
        #expect(results.map(\.image.path) == ["/lib/f.png", "/lib/c.png", "/lib/d.png", "/lib/b.png"])
        #expect(results.first?.bm25 == all.first { $0.image.path == "/lib/f.png" }?.bm25)
        let everything = Set(Self.library.map(\.path))
        #expect(LibrarySearch.rank(caption: "red bicycle", in: Self.library, excluding: everything).isEmpty)
    }

    @Test func resultsAreTheSameWhateverTheInputOrder() {
        let twins = [libraryImage("/lib/z.png", "a lighthouse"), libraryImage("/lib/m.png", "a lighthouse"),
                     libraryImage("/lib/q.png", "a lighthouse")] + Self.library
        let forward = LibrarySearch.rank(caption: "lighthouse", in: twins, excluding: [])
        let backward = LibrarySearch.rank(caption: "lighthouse", in: twins.reversed(), excluding: [])
        #expect(forward.map(\.image.path) == ["/lib/m.png", "/lib/q.png", "/lib/z.png"])
        #expect(forward == backward)
    }

    @Test func imagesWithoutCaptionsMatchByFileName() {
        let images = Self.library + [libraryImage("/photos/sunset_beach.png", nil)]
        let results = LibrarySearch.rank(caption: "the beach at sunset", in: images, excluding: [])
        #expect(results.map(\.image.path) == ["/photos/sunset_beach.png"])
        #expect(LibrarySearch.rank(caption: "nothing matches this", in: images, excluding: []).isEmpty)
    }

    /// e.png shares no word with the query; its embedding is the query's direction (cosine 1):
    /// 0.5·0 + 0.5·1 = 0.5. h.png: best BM25 (normalised 1) and cosine 1/√2: 0.5 + 0.5·0.7071.
    @Test func embeddingsAreBlendedHalfAndHalf() {
        let embeddings: [String: [Float]] = ["/lib/e.png": [2, 0], "/lib/h.png": [1, 1], "/lib/c.png": [0, 3]]
        let results = LibrarySearch.rank(caption: "blue bicycle", in: Self.library, excluding: [], limit: 10,
                                         embeddings: embeddings, queryEmbedding: [1, 0])
        let byPath = Dictionary(uniqueKeysWithValues: results.map { ($0.image.path, $0) })
        #expect(results.first?.image.path == "/lib/h.png")
        #expect(abs((byPath["/lib/h.png"]?.score ?? 0) - (0.5 + 0.5 / 2.0.squareRoot())) < 1e-6)
        #expect(abs((byPath["/lib/e.png"]?.score ?? 0) - 0.5) < 1e-6)
        #expect(byPath["/lib/e.png"]?.bm25 == 0)
        #expect(byPath["/lib/c.png"]?.cosine == 0)
        // Images without an embedding still match on BM25 alone, cosine nil.
        #expect(byPath["/lib/a.png"]?.cosine == nil)
        #expect((byPath["/lib/a.png"]?.score ?? 0) > 0)
    }
}

@Suite struct SearchTokenizerTests {
    @Test func lowerCasesSplitsDropsStopWordsAndStripsPlurals() {
        #expect(SearchTokenizer.tokens("Close-up of a tabby cat's face") == ["close", "up", "tabby", "cat", "face"])
        #expect(SearchTokenizer.tokens("Two CUPS and a glass on the bus") == ["two", "cup", "glass", "bus"])
        #expect(SearchTokenizer.tokens("motorcycle_left") == ["motorcycle", "left"])
        #expect(SearchTokenizer.tokens("4 rows, 1950s coins") == ["row", "1950", "coin"])
        #expect(SearchTokenizer.tokens("Café crème") == ["café", "crème"])
        #expect(SearchTokenizer.tokens("  the a of  ") == [])
    }
}

@Suite struct JSONObjectParserTests {
    @Test func readsTheStringMembersOfTheTopLevelObject() throws {
        let text = #"""
            { "a\"b": "line\nnext \u00e9 \ud83d\ude00", "n": -1.5e3, "x": [true, false, null, {"y": "z"}],
              "dup": "1", "dup": "2", "slash": "a\/b" }
            """#
        let members = try JSONObjectParser.stringMembers(of: text)
        #expect(members == ["a\"b": "line\nnext é 😀", "dup": "2", "slash": "a/b"])
        #expect(try JSONObjectParser.stringMembers(of: "{}") == [:])
        #expect(try JSONObjectParser.stringMembers(of: #"{"lone": "\ud83d"}"#) == ["lone": "\u{FFFD}"])
    }

    @Test func refusesWhatIsNotAJSONObject() {
        for bad in ["[1, 2]", #"{"a": }"#, #"{"a": "b""#, #"{"a" "b"}"#, "{} extra", "", #"{"a": tru}"#,
                    String(repeating: "[", count: 10_000), "{\"a\": \"\u{01}\"}", #"{"a": "\q"}"#] {
            #expect(throws: JSONObjectParser.Failure.self) { try JSONObjectParser.stringMembers(of: bad) }
        }
    }
}
