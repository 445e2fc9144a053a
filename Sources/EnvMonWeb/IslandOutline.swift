/// The coastline drawn under the console's map of đặc khu Cát Hải.
///
/// A schematic traced by hand from rough coordinates (the bounding boxes and place positions
/// in domain.md §3.2 and general knowledge of the islands), not survey data: good enough to
/// tell Cát Bà from Cát Hải and a bay site from a town site, not for navigation. It is
/// shipped in the binary because the console runs on an island LAN with no internet, so
/// there are no map tiles to fetch.
enum IslandOutline {
    struct Island {
        var name: String
        var ring: [Coordinate]
    }

    /// Longitude and latitude in degrees, in that order, as GIS tools list them.
    struct Coordinate {
        var longitude: Double
        var latitude: Double

        init(_ longitude: Double, _ latitude: Double) {
            self.longitude = longitude
            self.latitude = latitude
        }
    }

    /// A name written on the water or land, in italics, under the markers.
    struct PlaceName {
        var text: String
        var at: Coordinate
    }

    static let islands: [Island] = [catBa, catHai] + lanHaIslets

    /// Clockwise from Gia Luận at the northern tip: the NE coast facing Hạ Long bay, the inlets
    /// of Cửa Tùng Gấu and Cái Bèo on Lan Hạ bay, the town harbour and Cát Cò in the SE,
    /// Cát Gia bay in the SW and the mangrove coast of Phù Long facing Cát Hải.
    static let catBa = Island(
        name: "Cát Bà",
        ring: [
            .init(106.975, 20.866), .init(106.990, 20.872), .init(107.004, 20.866), .init(107.010, 20.856),
            .init(107.016, 20.862), .init(107.022, 20.861), .init(107.028, 20.851), .init(107.034, 20.853),
            .init(107.048, 20.852), .init(107.054, 20.843), .init(107.066, 20.846), .init(107.080, 20.836),
            .init(107.085, 20.824), .init(107.072, 20.821), .init(107.066, 20.826), .init(107.069, 20.815),
            .init(107.080, 20.813), .init(107.092, 20.809), .init(107.097, 20.797), .init(107.089, 20.789),
            .init(107.077, 20.788), .init(107.070, 20.781), .init(107.066, 20.771), .init(107.071, 20.762),
            .init(107.060, 20.757), .init(107.052, 20.750), .init(107.058, 20.745), .init(107.057, 20.736),
            .init(107.060, 20.729), .init(107.055, 20.722), .init(107.056, 20.711), .init(107.051, 20.706),
            .init(107.045, 20.712), .init(107.043, 20.721), .init(107.031, 20.722), .init(107.026, 20.732),
            .init(107.019, 20.727), .init(107.010, 20.725), .init(107.006, 20.737), .init(106.999, 20.731),
            .init(106.991, 20.741), .init(106.999, 20.751), .init(106.986, 20.753), .init(106.975, 20.762),
            .init(106.979, 20.771), .init(106.968, 20.773), .init(106.957, 20.777), .init(106.962, 20.787),
            .init(106.948, 20.789), .init(106.938, 20.803), .init(106.945, 20.813), .init(106.954, 20.820),
            .init(106.960, 20.829), .init(106.948, 20.832), .init(106.958, 20.844), .init(106.966, 20.857),
        ])

    /// Long and narrow, NW to SE, with the reclaimed Lạch Huyện terminals on its north-east.
    static let catHai = Island(
        name: "Cát Hải",
        ring: [
            .init(106.846, 20.845), .init(106.860, 20.853), .init(106.870, 20.860), .init(106.892, 20.853),
            .init(106.896, 20.838), .init(106.910, 20.823), .init(106.924, 20.809), .init(106.936, 20.796),
            .init(106.933, 20.786), .init(106.923, 20.786), .init(106.905, 20.790), .init(106.888, 20.794),
            .init(106.872, 20.806), .init(106.860, 20.820), .init(106.850, 20.833),
        ])

    /// A few of the larger limestone islets of Lan Hạ bay, east and south-east of Cát Bà town.
    static let lanHaIslets: [Island] = [
        // Đảo Khỉ, facing Cát Cò.
        Island(
            name: "Đảo Khỉ",
            ring: [
                .init(107.067, 20.716), .init(107.071, 20.723), .init(107.078, 20.721), .init(107.080, 20.714),
                .init(107.074, 20.709),
            ]),
        Island(
            name: "",
            ring: [
                .init(107.078, 20.735), .init(107.082, 20.745), .init(107.090, 20.742), .init(107.094, 20.734),
                .init(107.086, 20.729),
            ]),
        Island(
            name: "",
            ring: [
                .init(107.083, 20.760), .init(107.087, 20.768), .init(107.094, 20.766), .init(107.096, 20.758),
                .init(107.089, 20.753),
            ]),
        Island(
            name: "",
            ring: [
                .init(107.097, 20.749), .init(107.100, 20.759), .init(107.109, 20.758), .init(107.112, 20.748),
                .init(107.104, 20.743),
            ]),
        Island(
            name: "",
            ring: [
                .init(107.101, 20.775), .init(107.105, 20.785), .init(107.114, 20.786), .init(107.119, 20.777),
                .init(107.110, 20.769),
            ]),
        Island(
            name: "",
            ring: [
                .init(107.098, 20.720), .init(107.101, 20.729), .init(107.110, 20.730), .init(107.113, 20.721),
                .init(107.105, 20.714),
            ]),
        Island(
            name: "",
            ring: [.init(107.083, 20.702), .init(107.086, 20.709), .init(107.093, 20.709), .init(107.095, 20.701)]),
        Island(
            name: "",
            ring: [.init(107.101, 20.804), .init(107.103, 20.813), .init(107.110, 20.812), .init(107.109, 20.803)]),
    ]

    /// The Tân Vũ – Lạch Huyện bridge leaves Cát Hải westward for Đình Vũ on the mainland; drawn
    /// as a stub to the map's edge so the way to Hải Phòng is plain.
    static let bridgeStart = Coordinate(106.848, 20.846)
    static let bridgeHeading = Coordinate(106.800, 20.852)

    static let placeNames: [PlaceName] = [
        PlaceName(text: "Cát Bà", at: .init(107.008, 20.795)),
        PlaceName(text: "Cát Hải", at: .init(106.893, 20.818)),
        PlaceName(text: "Vịnh Lan Hạ", at: .init(107.098, 20.738)),
    ]

    /// The box around all the land, for the projection.
    static var bounds: (minimum: Coordinate, maximum: Coordinate) {
        let all = islands.flatMap(\.ring)
        let longitudes = all.map(\.longitude)
        let latitudes = all.map(\.latitude)
        return (
            Coordinate(longitudes.min()!, latitudes.min()!), Coordinate(longitudes.max()!, latitudes.max()!)
        )
    }
}
