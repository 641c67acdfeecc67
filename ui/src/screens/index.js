// Screen components by route id (the ids of lib/nav.js NAV).
import Alarms from './Alarms.svelte';
import Rules from './Rules.svelte';
import Home from './Home.svelte';
import Elders from './Elders.svelte';
import MyGrid from './MyGrid.svelte';
import Community from './Community.svelte';
import Devices from './Devices.svelte';
import DepartmentsScreen from './DepartmentsScreen.svelte';
import Notices from './Notices.svelte';
import Parking from './Parking.svelte';
import Me from './Me.svelte';
import Login from './Login.svelte';

/** screens maps a nav item id to its screen. */
export const screens = {
	alarms: Alarms,
	rules: Rules,
	home: Home,
	elders: Elders,
	grid: MyGrid,
	community: Community,
	devices: Devices,
	departments: DepartmentsScreen,
	notices: Notices,
	parking: Parking,
	me: Me,
	login: Login,
};
