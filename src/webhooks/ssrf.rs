//! Server-side request forgery guard for webhook URLs.
//!
//! Live endpoints may only reach globally routable addresses; sandbox endpoints may also
//! use loopback (a receiver on the developer's machine), but only when the URL names it
//! (`127.0.0.0/8`, `[::1]`, `localhost`, `*.localhost`): a public-looking name that resolves
//! to loopback is refused as in live, so whether a target is loopback is known before
//! anything is sent (and loopback targets get no response excerpt and one uniform error,
//! see `delivery`). The check runs inside the HTTP client's DNS resolver, so the address that
//! was checked is the address connected to: a name that re-resolves to a private address
//! later (DNS rebinding) is refused at that moment. IP-literal URLs bypass DNS and are
//! checked directly. Through an explicitly configured outbound proxy the destination is
//! resolved and checked before the request is handed to the proxy ([`check_destination`]).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// True for addresses reachable on the public internet.
pub fn is_global(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_global_v4(v4),
        IpAddr::V6(v6) => is_global_v6(v6),
    }
}

fn in_v4(ip: Ipv4Addr, net: [u8; 4], prefix: u32) -> bool {
    let mask = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix)
    };
    (u32::from(ip) & mask) == (u32::from(Ipv4Addr::from(net)) & mask)
}

fn is_global_v4(ip: Ipv4Addr) -> bool {
    const BLOCKED: &[([u8; 4], u32)] = &[
        ([0, 0, 0, 0], 8),       // "this network"
        ([10, 0, 0, 0], 8),      // private
        ([100, 64, 0, 0], 10),   // shared address space (carrier-grade NAT)
        ([127, 0, 0, 0], 8),     // loopback
        ([169, 254, 0, 0], 16),  // link-local (cloud metadata lives here)
        ([172, 16, 0, 0], 12),   // private
        ([192, 0, 0, 0], 24),    // IETF protocol assignments
        ([192, 0, 2, 0], 24),    // documentation
        ([192, 88, 99, 0], 24),  // 6to4 relay anycast
        ([192, 168, 0, 0], 16),  // private
        ([198, 18, 0, 0], 15),   // benchmarking
        ([198, 51, 100, 0], 24), // documentation
        ([203, 0, 113, 0], 24),  // documentation
        ([224, 0, 0, 0], 4),     // multicast
        ([240, 0, 0, 0], 4),     // reserved, and broadcast
    ];
    !BLOCKED.iter().any(|(net, prefix)| in_v4(ip, *net, *prefix))
}

fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    match s {
        // IPv4-mapped ::ffff:a.b.c.d and IPv4-compatible ::a.b.c.d
        [0, 0, 0, 0, 0, 0xffff, _, _] | [0, 0, 0, 0, 0, 0, _, _] => Some(tail),
        // NAT64 64:ff9b::a.b.c.d
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(tail),
        // 6to4 2002:aabb:ccdd::
        [0x2002, hi, lo, ..] => Some(Ipv4Addr::new(
            (hi >> 8) as u8,
            hi as u8,
            (lo >> 8) as u8,
            lo as u8,
        )),
        _ => None,
    }
}

fn is_global_v6(ip: Ipv6Addr) -> bool {
    if ip.is_unspecified() || ip.is_loopback() || ip.is_multicast() {
        return false;
    }
    if let Some(v4) = embedded_v4(ip) {
        return is_global_v4(v4);
    }
    let s = ip.segments();
    let blocked = (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0 // site-local fec0::/10 (deprecated)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation 2001:db8::/32
        || (s[0] == 0x2001 && s[1] == 0) // Teredo 2001::/32
        || (s[0] == 0x0100 && s[1] == 0 && s[2] == 0 && s[3] == 0); // discard 100::/64
    !blocked
}

/// Whether an address is acceptable for an endpoint (loopback only when allowed).
pub fn allowed(ip: IpAddr, allow_loopback: bool) -> bool {
    is_global(ip) || (allow_loopback && ip.is_loopback())
}

/// True for loopback addresses in every form: `127.0.0.0/8`, `::1`, and IPv4 loopback
/// embedded in IPv6 (`::ffff:127.0.0.1`, `::127.0.0.1`, NAT64, 6to4).
pub fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => v6.is_loopback() || embedded_v4(v6).is_some_and(|v4| v4.is_loopback()),
    }
}

/// The IP address a URL host is written as, if it is a literal (`[…]` stripped).
pub fn literal(host: &str) -> Option<IpAddr> {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

/// True for names that mean this machine by definition: `localhost` and `*.localhost`
/// (RFC 6761), with or without the trailing dot of the absolute form.
pub fn is_local_name(host: &str) -> bool {
    let name = host.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// True when a URL host names loopback: a loopback literal or a local name.
pub fn names_loopback(host: &str) -> bool {
    literal(host).is_some_and(is_loopback) || is_local_name(host)
}

/// Which addresses a resolver may hand out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Globally routable addresses only.
    Public,
    /// Loopback addresses only: a sandbox receiver the URL names as loopback.
    Loopback,
    /// Any address (`ONYX_WEBHOOK_DEV_MODE`, development only).
    Any,
}

impl Reach {
    pub fn admits(self, ip: IpAddr) -> bool {
        match self {
            Reach::Public => is_global(ip),
            Reach::Loopback => is_loopback(ip),
            Reach::Any => true,
        }
    }

    fn refusal(self, host: &str) -> String {
        match self {
            Reach::Loopback => format!("`{host}` does not resolve to a loopback address"),
            _ => format!("`{host}` resolves only to addresses webhooks may not reach (loopback, private, link-local or reserved)"),
        }
    }
}

/// A DNS resolver that returns only the addresses its [`Reach`] admits (and fails when none
/// is).
pub struct GuardedResolver {
    pub reach: Reach,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let reach = self.reach;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let ok: Vec<SocketAddr> = found.into_iter().filter(|a| reach.admits(a.ip())).collect();
            if ok.is_empty() {
                let err: Box<dyn std::error::Error + Send + Sync> = reach.refusal(&host).into();
                return Err(err);
            }
            let addrs: Addrs = Box::new(ok.into_iter());
            Ok(addrs)
        })
    }
}

/// Checks a destination before a request to it is handed to an outbound proxy (which
/// resolves the name itself): a literal must be admitted, and a name must resolve, every one
/// of its addresses admitted (the proxy may pick any of them).
pub async fn check_destination(host: &str, reach: Reach) -> Result<(), String> {
    if let Some(ip) = literal(host) {
        return if reach.admits(ip) {
            Ok(())
        } else {
            Err(format!("refused: {ip} is not a public address"))
        };
    }
    let found: Vec<SocketAddr> = tokio::net::lookup_host((host, 0))
        .await
        .map_err(|e| format!("cannot resolve `{host}`: {e}"))?
        .collect();
    if found.is_empty() || found.iter().any(|a| !reach.admits(a.ip())) {
        return Err(reach.refusal(host));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_every_non_global_address() {
        let refused = [
            "0.0.0.0",
            "10.1.2.3",
            "100.64.0.1",
            "127.0.0.1",
            "127.255.255.254",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "ff02::1",
            "fec0::1",
            "2001:db8::1",
            "2001::1",
            "100::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::10.0.0.1",
            "2002:c0a8:0101::1",
            "2002:7f00:0001::1",
        ];
        for addr in refused {
            assert!(!is_global(addr.parse().unwrap()), "{addr} must be refused");
        }
        let accepted = [
            "8.8.8.8",
            "1.1.1.1",
            "93.184.216.34",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:0808:0808::1",
        ];
        for addr in accepted {
            assert!(is_global(addr.parse().unwrap()), "{addr} must be accepted");
        }
        assert!(allowed("127.0.0.1".parse().unwrap(), true));
        assert!(!allowed("10.0.0.1".parse().unwrap(), true));
    }

    #[test]
    fn loopback_targets_are_known_from_the_url_host() {
        for host in [
            "127.0.0.1",
            "127.9.9.9",
            "[::1]",
            "[::ffff:127.0.0.1]",
            "localhost",
            "LOCALHOST.",
            "hooks.localhost",
        ] {
            assert!(names_loopback(host), "{host} names loopback");
        }
        for host in [
            "hooks.example.com",
            "localhost.example.com",
            "mylocalhost",
            "10.0.0.1",
            "[::2]",
            "0.0.0.0",
        ] {
            assert!(!names_loopback(host), "{host} does not name loopback");
        }
        assert!(Reach::Loopback.admits("127.0.0.1".parse().unwrap()));
        assert!(!Reach::Loopback.admits("8.8.8.8".parse().unwrap()));
        assert!(!Reach::Public.admits("127.0.0.1".parse().unwrap()));
        assert!(Reach::Any.admits("10.0.0.1".parse().unwrap()));
    }

    #[tokio::test]
    async fn a_destination_is_checked_before_it_is_handed_to_a_proxy() {
        assert!(check_destination("8.8.8.8", Reach::Public).await.is_ok());
        assert!(check_destination("[::1]", Reach::Public).await.is_err());
        assert!(check_destination("10.0.0.1", Reach::Public).await.is_err());
        // A name is resolved and every address must pass.
        assert!(check_destination("localhost", Reach::Public).await.is_err());
        assert!(check_destination("localhost", Reach::Loopback)
            .await
            .is_ok());
    }
}
