import AppCore
import Testing

@Suite struct InputHistoryTests {
    @Test func browsingKeepsTheDraftAndRestoresIt() {
        var h = InputHistory()
        h.add("first")
        h.add("second")
        #expect(h.older(current: "my draft") == "second")
        #expect(h.isBrowsing)
        #expect(h.older(current: "second (edited)") == "first")
        #expect(h.older(current: "first") == nil)
        #expect(h.newer() == "second")
        #expect(h.newer() == "my draft")
        #expect(!h.isBrowsing)
        #expect(h.newer() == nil)
    }

    @Test func emptyHistoryHasNothingOlder() {
        var h = InputHistory()
        #expect(h.older(current: "x") == nil)
        #expect(h.newer() == nil)
        #expect(!h.isBrowsing)
    }

    @Test func repeatsOfTheLastEntryAndBlankSubmissionsAreNotAdded() {
        var h = InputHistory()
        h.add("same")
        h.add("same")
        h.add("   \n")
        h.add("")
        h.add("other")
        h.add("same")
        #expect(h.entries == ["same", "other", "same"])
    }

    @Test func addingReturnsToTheDraftPosition() {
        var h = InputHistory(entries: ["a", "b"])
        _ = h.older(current: "")
        _ = h.older(current: "")
        h.add("c")
        #expect(!h.isBrowsing)
        #expect(h.older(current: "") == "c")
    }

    @Test func capacityKeepsTheNewest() {
        var h = InputHistory(capacity: 3)
        for i in 1...5 { h.add("entry \(i)") }
        #expect(h.entries == ["entry 3", "entry 4", "entry 5"])
        let loaded = InputHistory(entries: (1...10).map { "e\($0)" }, capacity: 4)
        #expect(loaded.entries == ["e7", "e8", "e9", "e10"])
        #expect(InputHistory(capacity: 0).capacity == 1)
    }

    @Test func multiLineEntriesSurvive() {
        var h = InputHistory()
        h.add("line one\nline two")
        #expect(h.older(current: "") == "line one\nline two")
    }
}
