<?php
// Removing the plugin removes the one thing it stored.
if (!defined('WP_UNINSTALL_PLUGIN')) {
	exit;
}
delete_option('booking_widget_server_url');
