"""The network path to Intacct, told apart step by step for the "endpoint-reachable" check.

No proxy and no route, the proxy unreachable, the proxy asking for a sign-in (407) or refusing,
Intacct unreachable through the proxy, a certificate this computer does not trust (named by
its issuer): each gets its own evidence and fix (resources/fixes/proxy.toml, gateway.toml).
"""

from __future__ import annotations

from wizard.checks.context import CheckContext
from wizard.checks.model import Verdict, failed
from wizard.gateway.autoconfig import AutoConfig, detect_auto_config
from wizard.gateway.network import NetworkSettings, ProxyMode, choose_proxy, describe_trust
from wizard.gateway.probe import Probe, ProbeOutcome, probe

PROBE_TIMEOUT_S = 5.0


def path_problem(ctx: CheckContext) -> tuple[Probe, Verdict | None]:
    """Probe the way to the gateway; the failed verdict, or None when the path works."""
    found = probe(ctx.profile.endpoint, ctx.network, timeout=PROBE_TIMEOUT_S)
    if found.ok:
        return found, None
    return found, _verdict(ctx, found)


def _auto_config(ctx: CheckContext, found: Probe) -> AutoConfig:
    """An automatic proxy script the system uses, when it explains a direct failure."""
    if found.proxy.url is not None or ctx.network.proxy_mode is not ProxyMode.SYSTEM:
        return AutoConfig()
    return detect_auto_config()


def _verdict(ctx: CheckContext, found: Probe) -> Verdict:
    host, port, proxy = found.host, found.port, found.proxy
    outcome = found.outcome
    if outcome is ProbeOutcome.SETTINGS:
        return failed(found.detail, ctx.fix("network-settings-invalid"))
    if outcome in (ProbeOutcome.NAME_NOT_FOUND, ProbeOutcome.NO_ROUTE):
        if outcome is ProbeOutcome.NAME_NOT_FOUND:
            said = (
                f"The name {host} could not be looked up ({found.detail}): check the address "
                "(or this computer may be offline, or its DNS not working)"
            )
        else:
            said = (
                f"{host} was found but did not accept a connection on port {port} "
                f"({found.detail}): a firewall may be blocking it, or the network only lets "
                "traffic out through a proxy"
            )
        auto = _auto_config(ctx, found)
        if auto.found:
            return failed(
                f"{said}. This computer's proxy is set by {auto.describe()}, which the wizard "
                "cannot run; it connected directly instead.",
                ctx.fix("proxy-auto-config"),
            )
        return failed(
            f"{said}. No proxy was used: {proxy.source}.", ctx.fix("endpoint-unreachable")
        )
    where = f"The proxy {proxy.url} (from {proxy.source})"
    if outcome is ProbeOutcome.PROXY_UNREACHABLE:
        return failed(
            f"{where} did not accept a connection ({found.detail}).",
            ctx.fix("proxy-unreachable"),
        )
    if outcome is ProbeOutcome.PROXY_SIGN_IN:
        who = (
            f"It did not accept the saved proxy user {proxy.user!r} and password."
            if proxy.user
            else "No proxy user and password are set for this connection."
        )
        schemes = found.sign_in_schemes
        offered = f" It asks for: {', '.join(schemes)}." if schemes else ""
        if schemes and not any(s.lower() == "basic" for s in schemes):
            offered += " The wizard can only sign in with a user name and password (Basic)."
        return failed(
            f"{where} asked for a sign-in (407 Proxy Authentication Required). {who}{offered}",
            ctx.fix("proxy-sign-in"),
        )
    if outcome is ProbeOutcome.UNREACHABLE_THROUGH_PROXY:
        return failed(
            f"{where} answered, but could not reach {host}:{port} itself ({found.detail}).",
            ctx.fix("unreachable-through-proxy"),
        )
    if outcome is ProbeOutcome.PROXY_REFUSED:
        return failed(
            f"{where} refused to connect to {host}:{port} ({found.detail}).",
            ctx.fix("proxy-refused"),
        )
    if outcome is ProbeOutcome.CERTIFICATE_UNTRUSTED:
        names = found.certificate
        issuer = (
            f"issued by {names.issuer}" if names else "issued by an authority it could not name"
        )
        via = (
            f" The connection went through the proxy {proxy.url}: a company proxy that "
            "inspects encrypted traffic re-signs it with the company's own certificate."
            if proxy.url
            else " No proxy was set, so a firewall or security program on this computer or "
            "network may be inspecting encrypted traffic."
        )
        return failed(
            f"The certificate shown for {host} was {issuer}, which this computer does not "
            f"trust ({found.detail}; checked against {found.trust}).{via}",
            ctx.fix("network-certificate-untrusted"),
        )
    route = f" through the proxy {proxy.url}" if proxy.url else ""
    return failed(
        f"The secure (TLS) connection to {host}{route} failed ({found.detail}).",
        ctx.fix("endpoint-unreachable"),
    )


def network_summary(endpoint: str, settings: NetworkSettings) -> dict[str, str]:
    """Which proxy and trust store reach `endpoint`, for the support report (no credentials)."""
    summary = {"endpoint": endpoint, "proxy_mode": settings.proxy_mode.value}
    try:
        choice = choose_proxy(endpoint, settings)
    except ValueError as error:
        summary["proxy"] = f"not usable: {error}"
    else:
        summary["proxy"] = choice.url or "none (direct)"
        summary["proxy_source"] = choice.source
        summary["proxy_sign_in"] = "set" if choice.user else "none"
    summary["trust_store"] = describe_trust(settings)
    auto = detect_auto_config()
    summary["automatic_proxy_setup"] = auto.describe() if auto.found else "none found"
    return summary
