import type { ExtraPermissionRule } from './extra-permissions.js';
import { hasAnyField } from './request-fields.js';

/**
 * Returns a rule that names `tagAction` when the request carries tags in its `tags` field,
 * the name CloudTrail writes for the `Tags` parameter of these create calls.
 */
function tagsOnCreate(tagAction: string): ExtraPermissionRule {
  return (request) => (hasAnyField(request, ['tags']) ? [tagAction] : []);
}

// Elastic Load Balancing User Guide, "ELB API permissions to tag resources during
// creation": "If tags are specified in the resource-creating action, additional
// authorization is required on the elasticloadbalancing:AddTags action".
const ELB_ADD_TAGS = tagsOnCreate('elasticloadbalancing:AddTags');

// Amazon ECS Developer Guide, "Grant permission to tag resources on creation": the calls
// below take tags, and "If tags are specified in the resource-creating action, AWS performs
// additional authorization", which needs ecs:TagResource.
const ECS_TAG_RESOURCE = tagsOnCreate('ecs:TagResource');

/**
 * Create calls that authorize their tags as a separate tagging action, keyed like
 * `AWS_EXTRA_PERMISSION_RULES`. EC2 calls are a service-wide rule in `extra-permissions.ts`
 * because EC2 writes tags as `tagSpecificationSet`.
 */
export const AWS_TAG_ON_CREATE_RULES: Readonly<Record<string, ExtraPermissionRule>> = {
  'elasticloadbalancing:CreateLoadBalancer': ELB_ADD_TAGS,
  'elasticloadbalancing:CreateTargetGroup': ELB_ADD_TAGS,
  'elasticloadbalancing:CreateListener': ELB_ADD_TAGS,
  'elasticloadbalancing:CreateRule': ELB_ADD_TAGS,
  'elasticloadbalancing:CreateTrustStore': ELB_ADD_TAGS,
  'ecs:CreateCapacityProvider': ECS_TAG_RESOURCE,
  'ecs:CreateCluster': ECS_TAG_RESOURCE,
  'ecs:CreateService': ECS_TAG_RESOURCE,
  'ecs:CreateTaskSet': ECS_TAG_RESOURCE,
  'ecs:RegisterContainerInstance': ECS_TAG_RESOURCE,
  'ecs:RegisterTaskDefinition': ECS_TAG_RESOURCE,
  'ecs:RunTask': ECS_TAG_RESOURCE,
  'ecs:StartTask': ECS_TAG_RESOURCE,
};
