import type { NormalizedEvent } from '@ciem/events';
import { networkOf } from '../principal-state.js';
import type { PrincipalState } from '../principal-state.js';
import type { Detection, Detector, DetectorContext, RuleDefinition } from '../types.js';
import { KEY_SPREAD_RULE, checkKeySpread } from './key-spread.js';

/**
 * New source network or country for a settled principal. Identities call from few places
 * (an office, a CI runner, a cloud region); a call from a /24 (IPv4) or /48 (IPv6) network
 * never seen before, after warm-up, can be a credential used elsewhere. With a GeoIP port
 * the country is checked too, and a new country weighs more. Principals already seen from
 * `maxNetworks` networks roam (laptops, mobile) and no longer alert on networks.
 */
export const NEW_NETWORK_RULE: RuleDefinition = {
  id: 'new-source-network',
  name: 'Call from a new network or country',
  severity: 'low',
  mitre: ['T1078.004'],
  rationale:
    'The principal called from a network (or country) it had not used during its baseline. Check that the owner travelled or moved infrastructure; otherwise the credential may be used by someone else.',
};

/**
 * Impossible travel: two calls of one principal from places farther apart than
 * `maxTravelKmPerHour` allows for the time between them. The distance is the great-circle
 * distance less `travelToleranceKm`, and pairs closer than `minTravelKm` are not judged, so
 * coarse locations (a country's representative point) do not alert between neighbours.
 * Needs a GeoIP port with coordinates.
 *
 * NOTE: with country-level coordinates two calls from the two coasts of one large country
 * (United States, Russia, Canada, Brazil, Australia, China) have distance 0 and never alert,
 * and VPN or cloud egress addresses move a caller as far as their registration says.
 */
export const IMPOSSIBLE_TRAVEL_RULE: RuleDefinition = {
  id: 'impossible-travel',
  name: 'Impossible travel between calls',
  severity: 'high',
  mitre: ['T1078.004'],
  rationale:
    'Two calls of the principal came from places too far apart to travel between in the time that separates them, so two parties hold the credential. Rotate it and review both sources.',
};

const MAX_COUNTRIES = 16;
const EARTH_RADIUS_KM = 6371;
/** Shortest time between two calls used for the speed, so clock skew cannot divide by 0. */
const MIN_TRAVEL_MS = 60_000;

export const networkDetector: Detector = {
  baseline: true,
  secondaryOperationRecords: true,
  rules: [NEW_NETWORK_RULE, IMPOSSIBLE_TRAVEL_RULE, KEY_SPREAD_RULE],
  detect(
    event: NormalizedEvent,
    state: PrincipalState,
    context: DetectorContext,
    out: Detection[],
  ) {
    if (event.via_service !== null || event.source_ip === null) return;
    const network = networkOf(event.source_ip);
    if (network === undefined) return;
    const { thresholds } = context.options;
    const who = event.principal.name ?? event.principal.id;
    const warm =
      event.event_time - state.firstSeen >= thresholds.warmupMs &&
      state.events >= thresholds.warmupEvents;

    checkKeySpread(event, state, network, thresholds.keyMinNetworks, thresholds.keyWindowMs, out);

    const place = context.geo?.(event.source_ip);
    if (place !== undefined) {
      checkTravel(event, state, place.latitude, place.longitude, thresholds, out);
      if (!state.countries.includes(place.country)) {
        if (state.countries.length < MAX_COUNTRIES) state.countries.push(place.country);
        if (warm && state.countries.length > 1) {
          out.push({
            rule: NEW_NETWORK_RULE,
            subject: '',
            severity: 'medium',
            title: `${who} called from a new country ${place.country} (${event.source_ip})`,
            details: { country: place.country, source_ip: event.source_ip },
          });
        }
      }
    }

    if (state.networks.has(network)) return;
    const roaming = state.networks.size >= thresholds.maxNetworks;
    if (!roaming) state.networks.add(network);
    if (warm && !roaming && state.networks.size > 1 && place === undefined) {
      out.push({
        rule: NEW_NETWORK_RULE,
        subject: '',
        title: `${who} called from a new network (${event.source_ip})`,
        details: { source_ip: event.source_ip },
      });
    }
  },
};

function checkTravel(
  event: NormalizedEvent,
  state: PrincipalState,
  latitude: number | undefined,
  longitude: number | undefined,
  thresholds: DetectorContext['options']['thresholds'],
  out: Detection[],
): void {
  if (latitude === undefined || longitude === undefined) return;
  const previous = state.lastPlace;
  state.lastPlace = [event.event_time, latitude, longitude];
  if (previous.length !== 3) return;
  const [time, lat, lon] = previous as [number, number, number];
  const km = distanceKm(lat, lon, latitude, longitude);
  if (km < thresholds.minTravelKm) return;
  const hours = Math.max(Math.abs(event.event_time - time), MIN_TRAVEL_MS) / 3_600_000;
  const speed = Math.max(0, km - thresholds.travelToleranceKm) / hours;
  if (speed <= thresholds.maxTravelKmPerHour) return;
  const key = event.access_key_id;
  out.push({
    rule: IMPOSSIBLE_TRAVEL_RULE,
    subject: '',
    title: `${event.principal.name ?? event.principal.id} moved ${Math.round(km)} km in ${Math.round(hours * 60)} minutes`,
    details: {
      distance_km: String(Math.round(km)),
      speed_km_per_hour: String(Math.round(speed)),
      source_ip: event.source_ip ?? '',
      ...(key === null || key.length === 0 ? {} : { access_key_id: key }),
    },
  });
}

/** Great-circle distance by the haversine formula. */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(a));
}
