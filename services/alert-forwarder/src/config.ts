import { setting } from '@ciem/config';
import {
  kafkaConnectionSettings,
  kafkaConsumerSettings,
  kafkaSecuritySettings,
  kafkaTopicCreationSettings,
} from '@ciem/kafka';
import { serviceSettings } from '@ciem/runtime';

/** Configuration of the alert-forwarder service: the shared service settings plus its own. */
export const forwarderSchema = {
  ...serviceSettings,
  ...kafkaConnectionSettings('ciem.alerts'),
  ...kafkaSecuritySettings,
  groupId: setting.string({
    env: 'CIEM_FORWARDER_GROUP_ID',
    description: 'Consumer group of the alerts topic; instances in one group share the partitions.',
    default: 'ciem-alert-forwarder',
  }),
  destinationsFile: setting.string({
    env: 'CIEM_FORWARDER_DESTINATIONS_FILE',
    description:
      'Path of the JSON file listing the SIEM destinations, their routing rules and the variables or files holding their secrets (see "Destinations file").',
  }),
  ...kafkaConsumerSettings,
  ...kafkaTopicCreationSettings('the alerts and dead-letter topics'),
};
