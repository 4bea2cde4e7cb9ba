import TerminalGraphics
import Testing

@Test func cellsAreAddressedByColumnAndRow() {
    let a = PreviewCell(symbol: "a", foreground: .terminalDefault, background: .indexed(1))
    let b = PreviewCell(symbol: "b", foreground: .rgb(red: 1, green: 2, blue: 3), background: .terminalDefault)
    let grid = CellGrid(columns: 2, rows: 1, cells: [a, b])
    #expect(grid[1, 0] == b)
}
