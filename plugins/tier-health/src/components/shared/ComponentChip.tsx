import { Chip, Tooltip } from '@material-ui/core';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { ComponentHealth } from '@internal/plugin-tier-health-common';
import { AVAILABILITY_COLOURS } from './stateStyle';

/** A component as a status chip: its colour is its availability; it links to its entity. */
export const ComponentChip = ({
  component,
}: {
  component: ComponentHealth;
}) => {
  const colour = AVAILABILITY_COLOURS[component.availability];
  const problem = component.problems[0];
  const tooltip = `${component.availability}: ${component.ready}/${
    component.desired
  } ready${
    component.readyNodes.length ? ` on ${component.readyNodes.join(', ')}` : ''
  }${problem ? ` — ${problem.pod}: ${problem.reason} ${problem.message}` : ''}`;
  const chip = (
    <Chip
      size="small"
      label={`${component.name} ${component.ready}/${component.desired}`}
      clickable={Boolean(component.entityRef)}
      style={{
        borderColor: colour,
        borderWidth: 2,
        color: 'inherit',
        margin: 2,
      }}
      variant="outlined"
      icon={
        <span
          aria-hidden
          style={{
            width: 10,
            height: 10,
            borderRadius: 5,
            marginLeft: 8,
            background: colour,
          }}
        />
      }
      aria-label={`${component.name}: ${component.availability}`}
    />
  );
  return (
    <Tooltip title={tooltip}>
      {component.entityRef ? (
        <span>
          <EntityRefLink entityRef={component.entityRef} hideIcon>
            {chip}
          </EntityRefLink>
        </span>
      ) : (
        <span>{chip}</span>
      )}
    </Tooltip>
  );
};
