// Package zones builds areas of control and frontlines from a labelled grid.
//
// A Grid paints every cell with the label of the actor that controls it (or
// -1 for unassigned). Polygons turns each label into an RFC 7946 MultiPolygon
// and Frontline / Frontlines extract the cell edges where two labels meet.
//
// Cells touching only at a corner are not connected: they end up in separate
// polygons. Where a hole touches its exterior ring at such a corner, the two
// rings share that single vertex, which simple-features validity allows; no
// ring ever touches itself.
package zones
