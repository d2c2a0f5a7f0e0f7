package crawl

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// privateError refuses a connection to an address the crawler must not
// reach: a crawl pointed at the web must not be turned against the
// machine it runs on or its network.
type privateError struct{ addr netip.Addr }

func (e *privateError) Error() string {
	return fmt.Sprintf("refused to connect to private or loopback address %s (set crawl.allow_private to allow)", e.addr)
}

// guardedDialer checks the address being dialled — after name
// resolution, so a public name that resolves to 127.0.0.1 is refused too.
func guardedDialer(allowPrivate bool) *net.Dialer {
	d := &net.Dialer{}
	if !allowPrivate {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("dial %s: %w", address, err)
			}
			if private(ap.Addr()) {
				return &privateError{ap.Addr()}
			}
			return nil
		}
	}
	return d
}

// cgnat is the carrier-grade NAT range, private in all but name.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

func private(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() || cgnat.Contains(a)
}
