import { makeStyles } from '@material-ui/core';
import { LogoIcon } from './LogoIcon';

const useStyles = makeStyles({
  logo: {
    display: 'flex',
    alignItems: 'center',
    gap: 10,
    color: '#7df3e1',
    fontSize: 22,
    fontWeight: 700,
    letterSpacing: 0.3,
    whiteSpace: 'nowrap',
  },
});

/** The portal's wordmark in the expanded sidebar. */
export const LogoFull = () => {
  const classes = useStyles();
  return (
    <div className={classes.logo}>
      <LogoIcon />
      <span>IDP Portal</span>
    </div>
  );
};
