import { mount } from '../shared/Root';
import { App } from './App';

const STUDENTS = ['student'] as const;

mount({ title: 'Testmancer courses', roles: STUDENTS, app: <App /> });
