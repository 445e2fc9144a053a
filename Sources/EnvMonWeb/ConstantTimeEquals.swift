/// Compares two secrets (session ids, CSRF tokens) in time that depends only on their lengths,
/// not on where they first differ, so that response timing cannot be used to guess one byte at a
/// time. The lengths themselves are not secret: every token has the same one.
package func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let left = Array(a.utf8)
    let right = Array(b.utf8)
    // Unequal lengths still walk `left` against itself, so the work does not end early either.
    let other = left.count == right.count ? right : left
    var difference: UInt8 = left.count == right.count ? 0 : 1
    for index in left.indices { difference |= left[index] ^ other[index] }
    return difference == 0
}
