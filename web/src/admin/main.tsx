import { mount } from '../shared/Root';
import { App } from './App';

const AUTHORS = ['admin', 'subadmin'] as const;

mount({ title: 'Testmancer authoring', roles: AUTHORS, app: <App /> });
