/** Error codes of the event store adapter. Codes are permanent and never reused. */
export const EventStoreErrorCodes = {
  /** A time of an event is outside what a ClickHouse `DateTime` holds (InputError). */
  timeOutOfRange: 'CIEM_EVENT_STORE_TIME_OUT_OF_RANGE',
} as const;
