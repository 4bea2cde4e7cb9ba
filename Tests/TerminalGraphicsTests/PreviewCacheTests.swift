import Testing
import TerminalGraphics

@Suite struct PreviewCacheTests {
    func key(_ name: String, _ columns: Int = 8, _ rows: Int = 4, depth: ColorDepth = .trueColor,
             style: SymbolStyle = .blocks) -> PreviewKey {
        PreviewKey(imageKey: name, columns: columns, rows: rows, depth: depth, style: style)
    }

    func grid(_ symbol: Unicode.Scalar) -> CellGrid {
        CellGrid(columns: 1, rows: 1, cells: [PreviewCell(symbol: symbol, foreground: .terminalDefault,
                                                          background: .terminalDefault)])
    }

    @Test("a cached preview is not rendered again")
    func hit() {
        var cache = PreviewCache()
        var renders = 0
        for _ in 0..<3 {
            _ = cache.grid(for: key("a")) { renders += 1; return grid("a") }
        }
        #expect(renders == 1)
        #expect(cache.grid(for: key("a")) == grid("a"))
    }

    @Test("size, depth and style are part of the key")
    func keyParts() {
        var cache = PreviewCache()
        var renders = 0
        let keys = [key("a"), key("a", 9), key("a", 8, 5), key("a", depth: .colors256), key("a", style: .ascii), key("b")]
        for k in keys + keys {
            _ = cache.grid(for: k) { renders += 1; return grid("x") }
        }
        #expect(renders == keys.count)
        #expect(cache.count == keys.count)
    }

    @Test("the least recently used entry is evicted")
    func eviction() {
        var cache = PreviewCache(capacity: 2)
        cache.insert(grid("a"), for: key("a"))
        cache.insert(grid("b"), for: key("b"))
        #expect(cache.grid(for: key("a")) != nil)   // a is now the most recent
        cache.insert(grid("c"), for: key("c"))       // evicts b
        #expect(cache.grid(for: key("b")) == nil)
        #expect(cache.grid(for: key("a")) == grid("a"))
        #expect(cache.grid(for: key("c")) == grid("c"))
        #expect(cache.count == 2)
    }

    @Test("re-inserting a key replaces it without growing")
    func replace() {
        var cache = PreviewCache(capacity: 2)
        cache.insert(grid("a"), for: key("a"))
        cache.insert(grid("z"), for: key("a"))
        cache.insert(grid("b"), for: key("b"))
        #expect(cache.count == 2)
        #expect(cache.grid(for: key("a")) == grid("z"))
    }

    @Test("resizing back and forth between two sizes never re-renders")
    func resizeBackAndForth() {
        var cache = PreviewCache()
        var renders = 0
        for i in 0..<10 {
            _ = cache.grid(for: key("photo", i.isMultiple(of: 2) ? 40 : 60)) { renders += 1; return grid("p") }
        }
        #expect(renders == 2)
    }

    @Test("capacity is at least one, and removeAll empties")
    func edges() {
        var cache = PreviewCache(capacity: 0)
        #expect(cache.capacity == 1)
        cache.insert(grid("a"), for: key("a"))
        cache.insert(grid("b"), for: key("b"))
        #expect(cache.count == 1 && cache.grid(for: key("b")) != nil)
        cache.removeAll()
        #expect(cache.count == 0)
    }
}
