import Foundation

/// Where each marker and its label go on the island map so that none hides another.
///
/// Sites a few hundred metres apart (the cage farms off Cát Bà town) project to nearly the same
/// point: their circles are spread on a small ring around the group's centre, each tied to its
/// true position by a leader line; labels are then placed greedily in the first free spot
/// around their circle, further out with a leader line when every near spot is taken.
struct MarkerLayout {
    struct Box {
        var x: Double
        var y: Double
        var width: Double
        var height: Double

        func overlap(_ other: Box) -> Double {
            let dx = min(x + width, other.x + other.width) - max(x, other.x)
            let dy = min(y + height, other.y + other.height) - max(y, other.y)
            return dx > 0 && dy > 0 ? dx * dy : 0
        }

        func contains(_ other: Box) -> Bool {
            other.x >= x && other.y >= y && other.x + other.width <= x + width
                && other.y + other.height <= y + height
        }

        /// The point of the box nearest to (px, py), where a leader line should end.
        func nearestPoint(to px: Double, _ py: Double) -> (x: Double, y: Double) {
            (min(max(px, x), x + width), min(max(py, y), y + height))
        }
    }

    struct Placement {
        /// The projected true position.
        var anchor: (x: Double, y: Double)
        /// Where the circle is drawn: the anchor unless it had to move off a neighbour.
        var centre: (x: Double, y: Double)
        var label: Box?
        /// Set when the label sits away from its circle and needs a line back to it.
        var labelLeader: (x: Double, y: Double)?

        var isDisplaced: Bool { anchor.x != centre.x || anchor.y != centre.y }
    }

    let radius: Double
    /// The area the labels must stay in.
    let bounds: Box
    /// Areas already used by the map's furniture (the north arrow).
    let reserved: [Box]

    /// `anchors` are the projected sites; `labelSizes` the estimated extent of each label, nil
    /// for a marker without one.
    func place(anchors: [(x: Double, y: Double)], labelSizes: [(width: Double, height: Double)?]) -> [Placement] {
        let centres = spread(anchors)
        var placements = zip(anchors, centres).map { Placement(anchor: $0, centre: $1) }
        var obstacles =
            reserved
            + centres.map {
                Box(x: $0.x - radius - 1, y: $0.y - radius - 1, width: 2 * radius + 2, height: 2 * radius + 2)
            }
        // Crowded markers choose first, while the spots around them are still free.
        let crowding = centres.map { centre in
            centres.filter { hypot($0.x - centre.x, $0.y - centre.y) < 80 }.count
        }
        let order = centres.indices.sorted { (crowding[$0], -$0) > (crowding[$1], -$1) }
        for index in order {
            guard let size = labelSizes[index] else { continue }
            let (box, leader) = bestLabelBox(around: centres[index], size: size, obstacles: obstacles)
            placements[index].label = box
            placements[index].labelLeader = leader
            obstacles.append(box)
        }
        return placements
    }

    /// Circles closer than a diameter and a little are grouped (transitively) and set evenly on
    /// a ring around the group's centre, in the order of their bearings from it.
    func spread(_ anchors: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        let minimumDistance = 2 * radius + 4
        var group = Array(anchors.indices)
        func root(_ index: Int) -> Int {
            var index = index
            while group[index] != index { index = group[index] }
            return index
        }
        for first in anchors.indices {
            for second in anchors.indices where second > first {
                let distance = hypot(anchors[first].x - anchors[second].x, anchors[first].y - anchors[second].y)
                if distance < minimumDistance { group[root(second)] = root(first) }
            }
        }
        var centres = anchors
        let groups = Dictionary(grouping: anchors.indices, by: root)
        for members in groups.values where members.count > 1 {
            let count = Double(members.count)
            let centreX = members.map { anchors[$0].x }.reduce(0, +) / count
            let centreY = members.map { anchors[$0].y }.reduce(0, +) / count
            let ring = minimumDistance / (2 * sin(.pi / count))
            let bearings = members.map { atan2(anchors[$0].y - centreY, anchors[$0].x - centreX) }
            // Coincident sites have no bearing of their own: they keep their input order.
            let ordered = members.indices.sorted { (bearings[$0], members[$0]) < (bearings[$1], members[$1]) }
            let start = bearings[ordered[0]]
            for (position, memberIndex) in ordered.enumerated() {
                let angle = start + 2 * .pi * Double(position) / count
                centres[members[memberIndex]] = (centreX + ring * cos(angle), centreY + ring * sin(angle))
            }
        }
        return centres
    }

    /// The first free spot in the preferred order (under the marker, then beside it, then above,
    /// then diagonally), then the same directions further out; if all are taken, the spot that
    /// covers the least.
    func bestLabelBox(
        around centre: (x: Double, y: Double), size: (width: Double, height: Double), obstacles: [Box]
    )
        -> (Box, (x: Double, y: Double)?)
    {
        let (width, height) = size
        let directions: [(Double, Double)] = [(0, 1), (1, 0), (-1, 0), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)]
        var best: (box: Box, leader: (x: Double, y: Double)?, cost: Double)?
        for distance in [radius + 2, radius + 18, radius + 34, radius + 54, radius + 80] {
            for (dx, dy) in directions {
                // The box's nearest edge or corner sits `distance` from the centre in that direction.
                let x =
                    dx > 0 ? centre.x + distance * dx : dx < 0 ? centre.x + distance * dx - width : centre.x - width / 2
                let y =
                    dy > 0
                    ? centre.y + distance * dy : dy < 0 ? centre.y + distance * dy - height : centre.y - height / 2
                let box = Box(x: x, y: y, width: width, height: height)
                let outside = bounds.contains(box) ? 0 : width * height
                let cost = obstacles.reduce(outside) { $0 + $1.overlap(box) }
                let leader = distance > radius + 2 ? box.nearestPoint(to: centre.x, centre.y) : nil
                if cost == 0 { return (box, leader) }
                if best == nil || cost < best!.cost { best = (box, leader, cost) }
            }
        }
        return (best!.box, best!.leader)
    }
}
