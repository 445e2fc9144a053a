import Foundation

/// Equirectangular projection for a map a few tens of kilometres across: longitude scaled by
/// the cosine of the middle latitude, so distances east–west and north–south match on screen.
/// The error over Cát Hải's 20 km of latitude is far below a marker's size.
struct MapProjection {
    /// Kilometres per degree of latitude on a sphere of the Earth's mean radius (6,371 km).
    static let kilometresPerDegree = 111.195

    let minimumLongitude: Double
    let maximumLatitude: Double
    let longitudeScale: Double
    /// Output units per degree of latitude.
    let scale: Double
    let margin: Double
    let width: Double
    let height: Double

    /// Fits the box between `minimum` and `maximum` (longitude, latitude) into `width` output
    /// units with `margin` on every side; the height follows from the box's proportions.
    init(minimum: IslandOutline.Coordinate, maximum: IslandOutline.Coordinate, width: Double, margin: Double) {
        let middleLatitude = (minimum.latitude + maximum.latitude) / 2
        longitudeScale = cos(middleLatitude * .pi / 180)
        minimumLongitude = minimum.longitude
        maximumLatitude = maximum.latitude
        let spanX = max(1e-6, (maximum.longitude - minimum.longitude) * longitudeScale)
        scale = (width - 2 * margin) / spanX
        self.margin = margin
        self.width = width
        height = (maximum.latitude - minimum.latitude) * scale + 2 * margin
    }

    func x(longitude: Double) -> Double { margin + (longitude - minimumLongitude) * longitudeScale * scale }

    func y(latitude: Double) -> Double { margin + (maximumLatitude - latitude) * scale }

    func point(_ coordinate: IslandOutline.Coordinate) -> (x: Double, y: Double) {
        (x(longitude: coordinate.longitude), y(latitude: coordinate.latitude))
    }

    var unitsPerKilometre: Double { scale / Self.kilometresPerDegree }
}
