"""libtorrent 2.0 session settings for tests: one place, so every script's peers behave alike.

Loopback TCP only: no DHT, LSD, UPnP, NAT-PMP or uTP, so a test meets exactly the peers it names (or its
tracker returns). Every test peer is 127.0.0.1 on its own port, hence allow_multiple_connections_per_ip.
Scripts outside this directory import it after putting this directory on sys.path (see
test/interop/*.py).
"""
import libtorrent as lt


def hermetic_settings(listen_port=0, alert_mask=None, overrides=None):
    settings = {
        "listen_interfaces": f"127.0.0.1:{listen_port}",
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_outgoing_utp": False,
        "enable_incoming_utp": False,
        "allow_multiple_connections_per_ip": True,
    }
    if alert_mask is not None:
        settings["alert_mask"] = alert_mask
    settings.update(overrides or {})
    return settings
